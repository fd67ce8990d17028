import type { DocumentNode } from 'graphql';
import type { RequestContext } from './request-context.js';

/**
 * Resolver map in @apollo/subgraph's shape (type → field → resolver, `__resolveReference`,
 * `subscribe`), or a scalar's GraphQLScalarType. Resolvers receive the subgraph's own context type.
 */
export type ResolverMap = Record<string, unknown>;

/**
 * Everything the bootstrap needs to serve one subgraph: its SDL and resolvers, how to extend the
 * base request context (per-request DataLoaders), and its background jobs.
 */
export interface SubgraphDefinition<Context extends RequestContext = RequestContext> {
  readonly name: string;
  readonly typeDefs: DocumentNode;
  readonly resolvers: ResolverMap;
  createContext(base: RequestContext): Context;
  /** Starts background work (expiry sweeps, jobs). */
  start?(): Promise<void>;
  stop?(): Promise<void>;
}
