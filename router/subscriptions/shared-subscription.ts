import type { Client } from 'graphql-ws';
import { GraphQLError, type ExecutionResult, type FormattedExecutionResult } from 'graphql';
import type { Logger } from 'pino';
import { ClientQueue, type BacklogLimits, type ClientQueueOwner } from './client-queue.js';
import { POSITION_ALIAS, RESUME_VARIABLE, type SubscriptionPlan } from './plan-subscription.js';

/** An upstream event as graphql-ws delivers it. */
export type UpstreamEvent = FormattedExecutionResult<Record<string, unknown>, unknown>;

/** Runs the rest of the plan for one upstream event and shapes it to the client selection. */
export type EventEnricher = (plan: SubscriptionPlan, event: UpstreamEvent) => Promise<ExecutionResult>;

/** How far a client may fall behind before it is ended with SLOW_CONSUMER. */
export const DEFAULT_CLIENT_BACKLOG: BacklogLimits = { maxItems: 256, maxLagMs: 5_000 };

export interface SharedSubscriptionOptions {
  readonly key: string;
  readonly plan: SubscriptionPlan;
  readonly client: Client;
  readonly variables: Readonly<Record<string, unknown>>;
  /** Where the upstream starts: the first client's `after`, if any (see initialResumeOf). */
  readonly initialResume: string | null;
  readonly enrich: EventEnricher;
  /** The extensions sent upstream with the subscription (the headers plugins set: the router's signature). */
  readonly prepareExtensions: () => Promise<Record<string, unknown>>;
  readonly onStart: () => void;
  /** An event is being enriched for this many client subscriptions. */
  readonly onEnrich: (listeners: number) => void;
  readonly onEnd: (subscription: SharedSubscription) => void;
  /** A client joined. */
  readonly onClientJoin?: () => void;
  /** A client's stream is over (read to its end, or left). */
  readonly onClientEnd?: () => void;
  /** A client fell too far behind and was ended with SLOW_CONSUMER. */
  readonly onSlowConsumer?: () => void;
  readonly logger: Logger;
  /** How far behind a client may fall before it is ended with SLOW_CONSUMER. */
  readonly backlog?: BacklogLimits;
}

function errorResult(code: string, message: string): ExecutionResult {
  return { errors: [new GraphQLError(message, { extensions: { code } })] };
}

/** What graphql-ws calls with the upstream's events: one small object instead of three closures. */
class UpstreamSink {
  constructor(private readonly subscription: SharedSubscription) {}

  next(event: UpstreamEvent): void {
    this.subscription.received(event);
  }

  error(error: unknown): void {
    const errors = Array.isArray(error) ? error : [{ message: error instanceof Error ? error.message : 'upstream subscription failed' }];
    this.subscription.failed({ errors });
  }

  complete(): void {
    this.subscription.failed(undefined);
  }
}

/**
 * One upstream subscription shared by every client with the same operation, variables and sharing
 * scope: each event is enriched once and fanned out. The upstream starts with the first client
 * and stops when the last one leaves. Events are enriched one at a time, in order; an enrichment
 * that fails delivers an error for that event and the stream goes on.
 */
export class SharedSubscription implements ClientQueueOwner {
  private readonly listeners = new Set<ClientQueue>();
  private readonly payload: { query: string; variables: Record<string, unknown>; operationName?: string; extensions: Record<string, unknown> };
  private dispose: (() => void) | undefined;
  private chain: Promise<void> = Promise.resolve();
  private started = false;
  private ended = false;

  constructor(private readonly options: SharedSubscriptionOptions) {
    const { primary } = options.plan;
    const variables: Record<string, unknown> = {};
    for (const name of primary.variableUsages ?? []) {
      if (name !== RESUME_VARIABLE && name in options.variables) variables[name] = options.variables[name];
    }
    if (options.plan.resumable) variables[RESUME_VARIABLE] = options.initialResume;
    // graphql-ws re-sends this very object when it re-subscribes after a reconnect, so updating
    // the resume variable in place makes the upstream continue after the last event seen.
    this.payload = {
      query: primary.operation,
      variables,
      ...(primary.operationName ? { operationName: primary.operationName } : {}),
      extensions: {},
    };
  }

  get key(): string {
    return this.options.key;
  }

  get size(): number {
    return this.listeners.size;
  }

  /**
   * Adds a client; the returned iterator ends when the upstream ends or the client leaves.
   * `onFallBehind` is called when the client is dropped for falling too far behind.
   */
  join(onFallBehind?: () => void): AsyncIterableIterator<ExecutionResult> {
    const queue = new ClientQueue(this.options.backlog ?? DEFAULT_CLIENT_BACKLOG, this, onFallBehind);
    this.listeners.add(queue);
    this.options.onClientJoin?.();
    if (!this.started && !this.ended) this.start();
    return queue;
  }

  /** @internal A client's queue: the client left. */
  clientLeft(queue: ClientQueue): void {
    this.listeners.delete(queue);
    if (this.listeners.size === 0) this.stop();
  }

  /** @internal A client's queue: it fell too far behind. */
  clientFellBehind(): void {
    this.options.onSlowConsumer?.();
  }

  /** @internal A client's queue: its stream is over. */
  clientEnded(): void {
    this.options.onClientEnd?.();
  }

  /** @internal The sink: an upstream event. */
  received(event: UpstreamEvent): void {
    this.trackPosition(event);
    this.chain = this.chain.then(() => this.deliver(event));
  }

  /** @internal The sink: the upstream ended, with `last` when it failed. */
  failed(last: ExecutionResult | undefined): void {
    this.chain = this.chain.then(() => this.finish(last));
  }

  /** Ends every client with `error` (e.g. a supergraph reload) and the upstream with them. */
  terminate(error: ExecutionResult): void {
    for (const listener of this.listeners) listener.close(error);
    this.listeners.clear();
    this.stop();
  }

  private start(): void {
    this.started = true;
    this.options.onStart();
    this.options.prepareExtensions().then(
      (extensions) => {
        if (this.ended) return;
        Object.assign(this.payload.extensions, extensions);
        this.dispose = this.options.client.subscribe<Record<string, unknown>>(this.payload, new UpstreamSink(this));
      },
      (error: unknown) => {
        this.options.logger.error({ err: error }, 'upstream subscription could not be prepared');
        this.finish(errorResult('INTERNAL_SERVER_ERROR', 'Internal server error'));
      },
    );
  }

  private trackPosition(event: UpstreamEvent): void {
    if (!this.options.plan.resumable) return;
    const root = event.data?.[this.options.plan.rootKey] as Record<string, unknown> | undefined;
    const position = root?.[POSITION_ALIAS];
    if (typeof position === 'string') this.payload.variables[RESUME_VARIABLE] = position;
  }

  private async deliver(event: UpstreamEvent): Promise<void> {
    if (this.listeners.size === 0) return;
    this.options.onEnrich(this.listeners.size);
    let result: ExecutionResult;
    try {
      result = await this.options.enrich(this.options.plan, event);
    } catch (error) {
      // One event could not be completed: its subscribers learn it, and the next events still flow.
      this.options.logger.error({ err: error, serviceName: this.options.plan.primary.serviceName }, 'subscription event enrichment failed');
      result = errorResult('INTERNAL_SERVER_ERROR', 'Internal server error');
    }
    for (const listener of this.listeners) {
      if (!listener.push(result)) this.listeners.delete(listener);
    }
    if (this.listeners.size === 0) this.stop();
  }

  private finish(last?: ExecutionResult): void {
    for (const listener of this.listeners) listener.close(last);
    this.listeners.clear();
    this.ended = true;
    this.dispose = undefined;
    this.options.onEnd(this);
  }

  private stop(): void {
    if (this.ended) return;
    this.ended = true;
    this.dispose?.();
    this.dispose = undefined;
    this.options.onEnd(this);
  }
}
