import type { Client } from 'graphql-ws';
import type { ExecutionResult, FormattedExecutionResult } from 'graphql';
import { AsyncQueue } from '../../subgraphs/shared/live/async-queue.js';
import { POSITION_ALIAS, RESUME_VARIABLE, type SubscriptionPlan } from './plan-subscription.js';

/** An upstream event as graphql-ws delivers it. */
export type UpstreamEvent = FormattedExecutionResult<Record<string, unknown>, unknown>;

/** Runs the rest of the plan for one upstream event and shapes it to the client selection. */
export type EventEnricher = (plan: SubscriptionPlan, event: UpstreamEvent) => Promise<ExecutionResult>;

export interface SharedSubscriptionOptions {
  readonly key: string;
  readonly plan: SubscriptionPlan;
  readonly client: Client;
  readonly variables: Readonly<Record<string, unknown>>;
  /** Where the upstream starts: the first client's `after`, if any (see initialResumeOf). */
  readonly initialResume: string | null;
  readonly enrich: EventEnricher;
  /** Extensions sent upstream (correlation id of the first subscriber). */
  readonly extensions: Readonly<Record<string, unknown>>;
  readonly onStart: () => void;
  readonly onEnrich: () => void;
  readonly onEnd: (subscription: SharedSubscription) => void;
  /** A client further behind than this many results is dropped (it would hold memory forever). */
  readonly maxQueue?: number;
}

/**
 * One upstream subscription shared by every client with the same operation, variables and auth
 * scope: each event is enriched once and fanned out. The upstream starts with the first client
 * and stops when the last one leaves.
 */
export class SharedSubscription {
  private readonly listeners = new Set<AsyncQueue<ExecutionResult>>();
  private readonly payload: { query: string; variables: Record<string, unknown>; operationName?: string; extensions: Record<string, unknown> };
  private dispose: (() => void) | undefined;
  private chain: Promise<void> = Promise.resolve();
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
      extensions: { ...options.extensions },
    };
  }

  get key(): string {
    return this.options.key;
  }

  get size(): number {
    return this.listeners.size;
  }

  /** Adds a client; the returned iterator ends when the upstream ends or the client leaves. */
  join(): AsyncIterableIterator<ExecutionResult> {
    const queue = new AsyncQueue<ExecutionResult>();
    this.listeners.add(queue);
    if (!this.dispose && !this.ended) this.start();
    const leave = () => {
      this.listeners.delete(queue);
      if (this.listeners.size === 0) this.stop();
    };
    const iterator: AsyncIterableIterator<ExecutionResult> = {
      next: () => queue.next(),
      return: async () => {
        leave();
        return queue.return();
      },
      [Symbol.asyncIterator]: () => iterator,
    };
    return iterator;
  }

  /** Ends every client with `error` (e.g. a supergraph reload) and the upstream with them. */
  terminate(error: ExecutionResult): void {
    for (const listener of this.listeners) {
      listener.push(error);
      listener.close();
    }
    this.listeners.clear();
    this.stop();
  }

  private start(): void {
    this.options.onStart();
    this.dispose = this.options.client.subscribe<Record<string, unknown>>(this.payload, {
      next: (event) => {
        this.trackPosition(event);
        this.chain = this.chain.then(() => this.deliver(event));
      },
      error: (error) => {
        const errors = Array.isArray(error) ? error : [{ message: error instanceof Error ? error.message : 'upstream subscription failed' }];
        this.chain = this.chain.then(() => this.finish({ errors } as ExecutionResult));
      },
      complete: () => {
        this.chain = this.chain.then(() => this.finish());
      },
    });
  }

  private trackPosition(event: UpstreamEvent): void {
    if (!this.options.plan.resumable) return;
    const root = event.data?.[this.options.plan.rootKey] as Record<string, unknown> | undefined;
    const position = root?.[POSITION_ALIAS];
    if (typeof position === 'string') this.payload.variables[RESUME_VARIABLE] = position;
  }

  private async deliver(event: UpstreamEvent): Promise<void> {
    if (this.listeners.size === 0) return;
    this.options.onEnrich();
    const result = await this.options.enrich(this.options.plan, event);
    const maxQueue = this.options.maxQueue ?? 10_000;
    for (const listener of this.listeners) {
      if (listener.size >= maxQueue) {
        listener.push({ errors: [{ message: 'subscriber too slow; resume with the last position', extensions: { code: 'SLOW_CONSUMER' } }] } as unknown as ExecutionResult);
        listener.close();
        this.listeners.delete(listener);
        continue;
      }
      listener.push(result);
    }
  }

  private finish(last?: ExecutionResult): void {
    for (const listener of this.listeners) {
      if (last) listener.push(last);
      listener.close();
    }
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
