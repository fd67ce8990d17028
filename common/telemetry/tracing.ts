import {
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  context,
  propagation,
  trace,
  type Context,
  type Link,
  type Span,
  type SpanOptions,
  type TextMapGetter,
  type TextMapSetter,
} from '@opentelemetry/api';

/** The tracer of every span the product makes itself (the gateway's executor makes its own). */
export const tracer = trace.getTracer('tributary');

/** Reads one header (or connection parameter) by lower-case name. */
export type HeaderReader = (name: string) => string | undefined;

// The carriers' accessors, made once: these run for every request and subgraph call.
const TRACE_HEADERS = ['traceparent', 'tracestate', 'baggage'];
const readerGetter: TextMapGetter<HeaderReader> = { get: (read, key) => read(key.toLowerCase()), keys: () => TRACE_HEADERS };
const headerSetter: TextMapSetter<Record<string, string>> = { set: (headers, key, value) => void (headers[key.toLowerCase()] = value) };

/** The trace context a caller sent (W3C `traceparent`/`tracestate`), or the root context. */
export function contextFrom(read: HeaderReader): Context {
  return propagation.extract(ROOT_CONTEXT, read, readerGetter);
}

/** Adds the current trace context to outgoing headers (`traceparent`, `tracestate`). */
export function injectTraceContext(headers: Record<string, string>, from: Context = context.active()): void {
  propagation.inject(from, headers, headerSetter);
}

/** The `traceparent` of the active span, for an event's metadata (undefined when nothing is traced). */
export function currentTraceparent(): string | undefined {
  const headers: Record<string, string> = {};
  injectTraceContext(headers);
  return headers['traceparent'];
}

/** A link to the span a `traceparent` names (e.g. the request that appended an event). */
export function linkTo(traceparent: string | undefined): Link | undefined {
  if (!traceparent) return undefined;
  const span = trace.getSpanContext(contextFrom((name) => (name === 'traceparent' ? traceparent : undefined)));
  return span && trace.isSpanContextValid(span) ? { context: span } : undefined;
}

/**
 * Runs `work` in a new span (a child of `parent`, by default the active context), ending it when
 * `work` settles and marking it failed when it throws.
 */
export async function inSpan<T>(name: string, options: SpanOptions & { parent?: Context }, work: (span: Span) => Promise<T>): Promise<T> {
  const parent = options.parent ?? context.active();
  const span = tracer.startSpan(name, options, parent);
  try {
    return await context.with(trace.setSpan(parent, span), () => work(span));
  } catch (error) {
    span.recordException(error instanceof Error ? error : String(error));
    span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.message : String(error) });
    throw error;
  } finally {
    span.end();
  }
}

export { SpanKind, SpanStatusCode };

/**
 * Records a span that marks one moment (start and end at once), linked to the trace a
 * `traceparent` names: e.g. an event delivered to a subscription, linked to the request that
 * appended it. The link is only parsed when the span records, so this is nearly free untraced.
 */
export function markLinked(name: string, options: SpanOptions, traceparent: string | undefined): void {
  const span = tracer.startSpan(name, options, ROOT_CONTEXT);
  if (span.isRecording()) {
    const link = linkTo(traceparent);
    if (link) span.addLink(link);
  }
  span.end();
}
