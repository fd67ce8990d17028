import type { IncomingMessage, ServerResponse } from 'node:http';
import type { QueryPlan } from '@apollo/query-planner';
import type { DocumentNode, ExecutionResult, GraphQLError, OperationTypeNode } from 'graphql';
import type { ContextPatch, RouterContext } from '../context/router-context.js';
import type { LoadedSupergraph } from '../supergraph/load-supergraph.js';

/**
 * The request or connection a context is built from. Over HTTP, names are request headers; over
 * WebSocket, `connection_init` payload entries first, then the upgrade request's headers. A plugin
 * never needs to know which.
 */
export interface RequestHead {
  /** A header or connection parameter by lower-case name. */
  header(name: string): string | undefined;
  readonly remoteAddress: string | undefined;
}

/** `onRequest`: once per HTTP request or WebSocket connection, before any operation. */
export interface RequestEvent {
  readonly request: RequestHead;
  /** The context as the hooks before this one left it. */
  readonly context: RouterContext;
  extendContext(patch: ContextPatch): void;
}

/** One operation, the same object in every hook it passes through (a key for per-operation state). */
export interface OperationHandle {
  readonly kind: OperationTypeNode;
  readonly name: string | undefined;
  /** The operation text as the client sent it. */
  readonly source: string;
}

/** `onParse`: the operation text, before it is parsed (the place for limits on its size). */
export interface ParseEvent {
  readonly context: RouterContext;
  readonly source: string;
  readonly operationName: string | undefined;
}

/** `onOperation`: the parsed, validated operation with its variables, before planning. */
export interface OperationEvent {
  readonly context: RouterContext;
  readonly operation: OperationHandle;
  readonly supergraph: LoadedSupergraph;
  /** The document to plan: the client's, or what an earlier hook rewrote it to. */
  readonly document: DocumentNode;
  readonly variables: Readonly<Record<string, unknown>>;
  /**
   * Plans and runs `document` instead. `variant` names the rewrite (plans are cached per operation
   * and variant), e.g. which fields authorization removed.
   */
  rewrite(document: DocumentNode, variant: string): void;
  /**
   * Upstream work (shared subscriptions, identical in-flight subgraph queries) is shared only
   * between operations whose parts given here are equal.
   */
  shareOnlyWith(part: string): void;
}

/** `onPlan`: the query plan of the operation (for a subscription, its Subscription node). */
export interface PlanEvent {
  readonly context: RouterContext;
  readonly operation: OperationHandle;
  readonly supergraph: LoadedSupergraph;
  readonly document: DocumentNode;
  readonly variables: Readonly<Record<string, unknown>>;
  readonly plan: QueryPlan;
}

/** What a subgraph call is: a fetch, an upstream subscription, or an upstream socket being opened. */
export type SubgraphRequestKind = 'fetch' | 'subscription' | 'connection';

/** `onSubgraphRequest`: before the router calls a subgraph. */
export interface SubgraphRequestEvent {
  /** Undefined for the router's own calls (readiness probes, upstream sockets). */
  readonly context: RouterContext | undefined;
  readonly operation: OperationHandle | undefined;
  readonly subgraph: string;
  readonly kind: SubgraphRequestKind;
  /** Sets a header of the call (for an upstream subscription, carried in its extensions). */
  setHeader(name: string, value: string): void;
}

/** `onResult`: each result before it is sent: the response of a query or mutation, or one subscription event. */
export interface ResultEvent {
  readonly context: RouterContext;
  readonly operation: OperationHandle;
  readonly result: ExecutionResult;
  setResult(result: ExecutionResult): void;
}

/** `onRefused`: an operation refused before it ran (parse or validation errors, a plugin's refusal). */
export interface RefusedEvent {
  readonly context: RouterContext;
  /** Undefined when it was refused before its operation was known (e.g. a syntax error). */
  readonly operation: OperationHandle | undefined;
  readonly errors: readonly GraphQLError[];
}

/** An HTTP endpoint besides `/graphql`; returns true when it answered. */
export type HttpRoute = (req: IncomingMessage, res: ServerResponse) => boolean | Promise<boolean>;

/**
 * A router plugin: a plain object with optional hooks, run in the order of the router's plugin
 * list, the same for operations over HTTP and over WebSocket. A hook refuses by throwing a
 * `RouterError` (or any GraphQLError with a code).
 */
export interface RouterPlugin {
  readonly name: string;
  /** HTTP endpoints (health, metrics, playground), tried in plugin order before `/graphql`. */
  readonly routes?: readonly HttpRoute[];
  /** A new supergraph was loaded (also called with the first): rebuild what derives from it. */
  onSupergraph?(supergraph: LoadedSupergraph): void;
  onRequest?(event: RequestEvent): void | Promise<void>;
  onParse?(event: ParseEvent): void | Promise<void>;
  onOperation?(event: OperationEvent): void | Promise<void>;
  onPlan?(event: PlanEvent): void | Promise<void>;
  onSubgraphRequest?(event: SubgraphRequestEvent): void | Promise<void>;
  onResult?(event: ResultEvent): void | Promise<void>;
  onRefused?(event: RefusedEvent): void | Promise<void>;
  /** The router is stopping. */
  close?(): void | Promise<void>;
}
