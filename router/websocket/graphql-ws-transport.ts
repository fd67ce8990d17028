import type { IncomingMessage } from 'node:http';
import { GraphQLError, type ExecutionArgs } from 'graphql';
import type { Logger } from 'pino';
import type { WebSocket, WebSocketServer } from 'ws';
import { withRequestErrorCode } from '../../common/errors/format-error.js';
import { SpanKind, contextFrom, tracer } from '../../common/telemetry/tracing.js';
import { bindGraphqlWs } from '../../common/websocket/graphql-ws-binding.js';
import { context as otelContext, trace, type Context as OtelContext, type Span } from '@opentelemetry/api';
import type { RouterContext } from '../context/router-context.js';
import type { RouterMetrics } from '../metrics/router-metrics.js';
import { formatResult, formatRouterError } from '../execution/format-result.js';
import type { PreparedOperation, RouterPipeline } from '../execution/router-pipeline.js';
import type { RequestHead } from '../plugins/contract.js';
import { RouterError } from '../plugins/router-error.js';
import { OperationTexts } from './operation-texts.js';

/** Close code of a connection refused, or ended because its token expired (graphql-ws's Forbidden). */
export const CLOSE_FORBIDDEN = 4403;
/** Close code of a client that reads too slowly: what waits for it passed the byte limit. */
export const CLOSE_SLOW_CONSUMER = 4008;
/** Close code of a client over its connection or message rate. */
export const CLOSE_RATE_LIMITED = 4029;
/** How long a slow consumer has to read up to its close frame before its socket is destroyed. */
const SLOW_CONSUMER_GRACE_MS = 10_000;

/** What one WebSocket client may do, and how far behind it may fall. */
export interface WebSocketLimits {
  /** Operations open at once on one socket; more are refused with TOO_MANY_SUBSCRIPTIONS. */
  readonly maxSubscriptionsPerSocket: number;
  /** Messages a socket may send per second (bursts up to `messageBurst`); beyond, it is closed with 4029. */
  readonly maxMessagesPerSecond: number;
  readonly messageBurst: number;
  /** Sockets open at once per identity (subject, or address when anonymous), on this router. */
  readonly maxConnectionsPerIdentity: number;
  /** Bytes written to a socket and not yet taken by the client; beyond, it is closed with 4008 SLOW_CONSUMER. */
  readonly maxBufferedBytes: number;
  /** Ping every this many ms; a socket that has not answered the previous ping is dropped. */
  readonly keepAliveMs: number;
}

export const DEFAULT_WEBSOCKET_LIMITS: WebSocketLimits = {
  maxSubscriptionsPerSocket: 100,
  maxMessagesPerSecond: 50,
  messageBurst: 200,
  maxConnectionsPerIdentity: 100,
  maxBufferedBytes: 4 * 1024 * 1024,
  keepAliveMs: 12_000,
};

export interface GraphqlWsOptions {
  readonly logger: Logger;
  /** Close sockets that do not send connection_init in time. */
  readonly connectionInitWaitTimeoutMs: number;
  readonly limits?: Partial<WebSocketLimits>;
  readonly metrics?: RouterMetrics;
}

/** A token bucket per socket, refilled by time: messages a client may still send now. */
function messageBudget(perSecond: number, burst: number): () => boolean {
  let tokens = burst;
  let last = performance.now();
  return () => {
    const now = performance.now();
    tokens = Math.min(burst, tokens + ((now - last) * perSecond) / 1000);
    last = now;
    if (tokens < 1) return false;
    tokens -= 1;
    return true;
  };
}

type Extra = { readonly request: IncomingMessage; readonly socket: WebSocket };

/**
 * The ExecutionArgs handed to graphql-ws for one operation, carrying what `execute`/`subscribe`
 * need. graphql-ws keeps the args for the operation's whole life, so they are released once the
 * operation has started; `rootValue` and `contextValue` are declared (graphql-ws would add them)
 * so the object keeps one shape.
 */
class OperationArgs implements ExecutionArgs {
  rootValue: unknown = undefined;
  contextValue: unknown = undefined;

  constructor(
    readonly schema: ExecutionArgs['schema'],
    readonly document: ExecutionArgs['document'],
    readonly operationName: string | undefined,
    public prepared: PreparedOperation | undefined,
    public socket: WebSocket | undefined,
    public span: Span | undefined,
    public traceContext: OtelContext | undefined,
  ) {}

  /** What the operation needs to start, handed over once. */
  take(): { prepared: PreparedOperation | undefined; socket: WebSocket | undefined; span: Span | undefined; traceContext: OtelContext | undefined } {
    const taken = { prepared: this.prepared, socket: this.socket, span: this.span, traceContext: this.traceContext };
    this.prepared = undefined;
    this.socket = undefined;
    this.span = undefined;
    this.traceContext = undefined;
    return taken;
  }
}

/** The connection as plugins read it: `connection_init` payload first, then the upgrade request's headers. */
function connectionHead(params: Readonly<Record<string, unknown>> | undefined, request: IncomingMessage): RequestHead {
  return {
    header(name) {
      const param = params?.[name] ?? (name === 'authorization' ? params?.['Authorization'] : undefined);
      if (typeof param === 'string') return param;
      const value = request.headers[name];
      return Array.isArray(value) ? value[0] : value;
    },
    remoteAddress: request.socket.remoteAddress,
  };
}

/**
 * Closes a client that does not take what is written to it (bytes waiting on its socket, or one
 * of its subscriptions fell too far behind): the router stops writing instead of holding it all.
 */
function closeSlowConsumer(socket: WebSocket): void {
  if (socket.readyState !== socket.OPEN) return;
  socket.close(CLOSE_SLOW_CONSUMER, 'SLOW_CONSUMER: reading too slowly; reconnect and resume with the last position');
  // The close frame waits behind what is buffered; a client that never reads is cut off.
  setTimeout(() => socket.terminate(), SLOW_CONSUMER_GRACE_MS).unref();
}

/** A close reason fits in a control frame (123 bytes). */
function closeReason(text: string): string {
  return Buffer.byteLength(text) <= 123 ? text : `${Buffer.from(text).subarray(0, 120).toString()}…`;
}

/**
 * graphql-ws on `/graphql`: every operation kind, through the same pipeline as HTTP. The
 * connection's context is built from `connection_init`; a refused one closes with 4403 and the
 * code in the reason, and a connection whose token expires is closed with 4403 at the expiry.
 */
export function serveGraphqlWs(pipeline: RouterPipeline, wss: WebSocketServer, options: GraphqlWsOptions) {
  const { logger } = options;
  const limits: WebSocketLimits = { ...DEFAULT_WEBSOCKET_LIMITS, ...options.limits };
  const contexts = new WeakMap<object, RouterContext>();
  const expiryTimers = new WeakMap<object, NodeJS.Timeout>();
  const identityKeys = new WeakMap<object, string>();
  const connectionsByIdentity = new Map<string, number>();
  const traceOperation = async <T>(span: Span | undefined, traced: OtelContext | undefined, work: () => Promise<T>): Promise<T> => {
    if (!span || !traced) return work();
    try {
      return await otelContext.with(traced, work);
    } finally {
      span.end();
    }
  };
  const texts = new OperationTexts();
  // One slow-consumer callback per socket (it closes the socket), shared by its subscriptions.
  const slowConsumerClosers = new WeakMap<WebSocket, () => void>();
  const slowConsumerCloser = (socket: WebSocket): (() => void) => {
    let closer = slowConsumerClosers.get(socket);
    if (!closer) {
      closer = () => closeSlowConsumer(socket);
      slowConsumerClosers.set(socket, closer);
    }
    return closer;
  };

  const budgets = new WeakMap<WebSocket, () => boolean>();
  // A socket over its message rate is closed, and what it already sent is dropped unread.
  const admit = (socket: WebSocket): boolean => {
    if (socket.readyState !== socket.OPEN) return false;
    let allowed = budgets.get(socket);
    if (!allowed) {
      allowed = messageBudget(limits.maxMessagesPerSecond, limits.messageBurst);
      budgets.set(socket, allowed);
    }
    if (allowed()) return true;
    socket.close(CLOSE_RATE_LIMITED, 'RATE_LIMITED: too many messages; slow down');
    return false;
  };

  return bindGraphqlWs<Record<string, unknown> | undefined, Extra>(
    wss,
    {
      schema: () => pipeline.schema,
      connectionInitWaitTimeout: options.connectionInitWaitTimeoutMs,
      onConnect: async (ctx) => {
        try {
          const context = await pipeline.hooks.openContext(connectionHead(ctx.connectionParams, ctx.extra.request), logger);
          const identity = context.identity ? `sub:${context.identity.subject}` : `ip:${context.clientAddress ?? ''}`;
          const open = connectionsByIdentity.get(identity) ?? 0;
          if (open >= limits.maxConnectionsPerIdentity) {
            ctx.extra.socket.close(CLOSE_RATE_LIMITED, `RATE_LIMITED: more than ${limits.maxConnectionsPerIdentity} connections`);
            return false;
          }
          connectionsByIdentity.set(identity, open + 1);
          identityKeys.set(ctx, identity);
          options.metrics?.connectionOpened();
          contexts.set(ctx, context);
          const expiresAt = context.identity?.expiresAt;
          if (expiresAt !== undefined) {
            const timer = setTimeout(
              () => ctx.extra.socket.close(CLOSE_FORBIDDEN, 'UNAUTHENTICATED: token expired; reconnect with a fresh token'),
              Math.max(0, expiresAt - Date.now()),
            );
            timer.unref();
            expiryTimers.set(ctx, timer);
          }
          return true;
        } catch (error) {
          if (!(error instanceof GraphQLError)) throw error;
          const code = typeof error.extensions.code === 'string' ? error.extensions.code : 'FORBIDDEN';
          ctx.extra.socket.close(CLOSE_FORBIDDEN, closeReason(`${code}: ${error.message}`));
          return false;
        }
      },
      onClose: (ctx) => {
        clearTimeout(expiryTimers.get(ctx));
        const identity = identityKeys.get(ctx);
        if (identity === undefined) return;
        options.metrics?.connectionClosed();
        const left = (connectionsByIdentity.get(identity) ?? 1) - 1;
        if (left > 0) connectionsByIdentity.set(identity, left);
        else connectionsByIdentity.delete(identity);
      },
      onSubscribe: async (ctx, _id, payload) => {
        const context = contexts.get(ctx);
        // The operation's trace continues the one its subscribe message names, else the connection's.
        const traceparent = (payload.extensions as { traceparent?: unknown } | undefined)?.traceparent;
        const head = connectionHead(ctx.connectionParams, ctx.extra.request);
        const parent = contextFrom((name) => (name === 'traceparent' && typeof traceparent === 'string' ? traceparent : head.header(name)));
        const span = tracer.startSpan('graphql.request', { kind: SpanKind.SERVER, attributes: { 'network.transport': 'websocket' } }, parent);
        const traced = trace.setSpan(parent, span);
        const refuse = (errors: readonly GraphQLError[]) => {
          span.setAttribute('graphql.refused', true);
          span.end();
          return [...errors];
        };
        if (!context) return refuse([new RouterError('UNAUTHENTICATED', 'connection not initialised')]);
        // graphql-ws has already reserved this operation's id.
        if (Object.keys(ctx.subscriptions).length > limits.maxSubscriptionsPerSocket) {
          return refuse([new RouterError('TOO_MANY_SUBSCRIPTIONS', `at most ${limits.maxSubscriptionsPerSocket} operations may be open on one socket`)]);
        }
        // graphql-ws keeps this payload while the operation runs: it holds the one shared copy of its text.
        if (typeof payload.query === 'string') (payload as { query: string }).query = texts.shared(payload.query);
        const preparation = await otelContext.with(traced, () => pipeline.prepare(context, payload, { mutations: true, subscriptions: true }));
        if (!preparation.ok) return refuse(preparation.errors);
        texts.remember(preparation.prepared.operation.source);
        span.setAttributes({
          'graphql.operation.type': preparation.prepared.operation.kind,
          'graphql.operation.name': preparation.prepared.operation.name ?? '',
        });
        const { supergraph, document, operationName } = preparation.prepared;
        // graphql-ws reads the document only to tell a subscription from a query or mutation.
        return new OperationArgs(supergraph.schema, document, operationName, preparation.prepared, ctx.extra.socket, span, traced);
      },
      execute: async (args: ExecutionArgs) => {
        const { prepared: operation, span, traceContext } = args instanceof OperationArgs ? args.take() : {};
        if (!operation) return { errors: [new GraphQLError('operation not prepared')] };
        return traceOperation(span, traceContext, () => pipeline.execute(operation));
      },
      // The span covers starting the subscription; each event's enrichment is traced on its own.
      subscribe: async (args: ExecutionArgs) => {
        const { prepared: operation, socket, span, traceContext } = args instanceof OperationArgs ? args.take() : {};
        if (!operation) return { errors: [new GraphQLError('operation not prepared')] };
        return traceOperation(span, traceContext, () => pipeline.subscribe(operation, socket && slowConsumerCloser(socket)));
      },
      onError: (ctx, _id, _payload, errors) => {
        const context = contexts.get(ctx);
        return errors.map((error) => formatRouterError(withRequestErrorCode(error), context?.logger ?? logger));
      },
      onNext: (ctx, _id, _payload, _args, result) => {
        const { socket } = ctx.extra;
        // Bytes pile up on the socket: the client does not take what is written to it.
        if (socket.bufferedAmount > limits.maxBufferedBytes) closeSlowConsumer(socket);
        return formatResult(result, contexts.get(ctx)?.logger ?? logger);
      },
    },
    { logger, admit, keepAliveMs: limits.keepAliveMs },
    (socket, request) => ({ socket, request }),
  );
}
