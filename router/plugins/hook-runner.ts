import { randomUUID } from 'node:crypto';
import type { DocumentNode, ExecutionResult } from 'graphql';
import type { Logger } from 'pino';
import type { ContextPatch, RouterContext } from '../context/router-context.js';
import type { LoadedSupergraph } from '../supergraph/load-supergraph.js';
import type {
  OperationEvent,
  OperationHandle,
  ParseEvent,
  PlanEvent,
  RefusedEvent,
  RequestEvent,
  RequestHead,
  ResultEvent,
  RouterPlugin,
  SubgraphRequestEvent,
  SubgraphRequestKind,
} from './contract.js';

type Hook<Event> = (event: Event) => void | Promise<void>;

/** The hooks `pick` finds, each bound to its plugin, in plugin order. */
function hooksOf<Event>(plugins: readonly RouterPlugin[], pick: (plugin: RouterPlugin) => Hook<Event> | undefined): Array<Hook<Event>> {
  return plugins.flatMap((plugin) => {
    const hook = pick(plugin);
    return hook ? [hook] : [];
  });
}

/** Runs hooks one after another; a hook that returns nothing costs no promise. */
async function runAll<Event>(hooks: ReadonlyArray<Hook<Event>>, event: Event): Promise<void> {
  for (const hook of hooks) {
    const pending = hook(event);
    if (pending) await pending;
  }
}

const SAFE_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** What `onOperation` hooks decided about an operation. */
export interface OperationDecision {
  readonly document: DocumentNode;
  /** The rewrites applied, in order, joined (empty when none). */
  readonly variant: string;
  /** The parts upstream sharing is keyed by, joined. */
  readonly sharing: string;
}

/**
 * The router's plugins, compiled once into one list per hook. Both transports call these methods
 * at the same points of an operation, so a plugin sees the same sequence whatever the transport.
 */
export class HookRunner {
  private readonly request: Array<Hook<RequestEvent>>;
  private readonly parse: Array<Hook<ParseEvent>>;
  private readonly operation: Array<Hook<OperationEvent>>;
  private readonly plan: Array<Hook<PlanEvent>>;
  private readonly subgraphRequest: Array<Hook<SubgraphRequestEvent>>;
  private readonly result: Array<Hook<ResultEvent>>;
  private readonly refusal: Array<Hook<RefusedEvent>>;

  constructor(readonly plugins: readonly RouterPlugin[]) {
    this.request = hooksOf(plugins, (plugin) => plugin.onRequest?.bind(plugin));
    this.parse = hooksOf(plugins, (plugin) => plugin.onParse?.bind(plugin));
    this.operation = hooksOf(plugins, (plugin) => plugin.onOperation?.bind(plugin));
    this.plan = hooksOf(plugins, (plugin) => plugin.onPlan?.bind(plugin));
    this.subgraphRequest = hooksOf(plugins, (plugin) => plugin.onSubgraphRequest?.bind(plugin));
    this.result = hooksOf(plugins, (plugin) => plugin.onResult?.bind(plugin));
    this.refusal = hooksOf(plugins, (plugin) => plugin.onRefused?.bind(plugin));
  }

  /** True when some plugin looks at results (otherwise results go out untouched). */
  get hasResultHooks(): boolean {
    return this.result.length > 0;
  }

  supergraphLoaded(supergraph: LoadedSupergraph): void {
    for (const plugin of this.plugins) plugin.onSupergraph?.(supergraph);
  }

  /** Builds the context of a request or connection. */
  async openContext(head: RequestHead, logger: Logger): Promise<RouterContext> {
    const given = head.header('x-correlation-id');
    let draft: { -readonly [K in keyof RouterContext]: RouterContext[K] } = {
      correlationId: given && SAFE_ID.test(given) ? given : randomUUID(),
      logger,
      identity: undefined,
      clientAddress: head.remoteAddress,
    };
    for (const hook of this.request) {
      const pending = hook({
        request: head,
        context: draft,
        extendContext: (patch: ContextPatch) => {
          draft = { ...draft, ...patch };
        },
      });
      if (pending) await pending;
    }
    return { ...draft, logger: logger.child({ correlationId: draft.correlationId }) };
  }

  async parsing(context: RouterContext, source: string, operationName: string | undefined): Promise<void> {
    if (this.parse.length > 0) await runAll(this.parse, { context, source, operationName });
  }

  async operationResolved(
    context: RouterContext,
    operation: OperationHandle,
    supergraph: LoadedSupergraph,
    document: DocumentNode,
    variables: Readonly<Record<string, unknown>>,
  ): Promise<OperationDecision> {
    if (this.operation.length === 0) return { document, variant: '', sharing: '' };
    let current = document;
    const variants: string[] = [];
    const sharing: string[] = [];
    const event: OperationEvent = {
      context,
      operation,
      supergraph,
      get document() {
        return current;
      },
      variables,
      rewrite(next, variant) {
        current = next;
        variants.push(variant);
      },
      shareOnlyWith(part) {
        sharing.push(part);
      },
    };
    await runAll(this.operation, event);
    return { document: current, variant: variants.join('\u0001'), sharing: sharing.join('\u0001') };
  }

  async planned(event: PlanEvent): Promise<void> {
    if (this.plan.length > 0) await runAll(this.plan, event);
  }

  /** The headers plugins set for one subgraph call. */
  async subgraphHeaders(
    context: RouterContext | undefined,
    operation: OperationHandle | undefined,
    subgraph: string,
    kind: SubgraphRequestKind,
    headers: Record<string, string>,
  ): Promise<void> {
    if (this.subgraphRequest.length === 0) return;
    await runAll(this.subgraphRequest, {
      context,
      operation,
      subgraph,
      kind,
      setHeader(name, value) {
        headers[name.toLowerCase()] = value;
      },
    });
  }

  /** A result after every `onResult` hook. */
  async resultReady(context: RouterContext, operation: OperationHandle, result: ExecutionResult): Promise<ExecutionResult> {
    if (this.result.length === 0) return result;
    let current = result;
    const event: ResultEvent = {
      context,
      operation,
      get result() {
        return current;
      },
      setResult(next) {
        current = next;
      },
    };
    await runAll(this.result, event);
    return current;
  }

  async refused(event: RefusedEvent): Promise<void> {
    if (this.refusal.length > 0) await runAll(this.refusal, event);
  }

  async close(): Promise<void> {
    for (const plugin of this.plugins) await plugin.close?.();
  }
}
