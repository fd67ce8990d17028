import { Supergraph, type Schema } from '@apollo/federation-internals';
import { QueryPlanner } from '@apollo/query-planner';
import type { GraphQLSchema } from 'graphql';
import { ROUTER_FEATURES } from '../../common/supergraph/supported-features.js';

/** A subgraph as the router reaches it. */
export interface SubgraphService {
  readonly name: string;
  /** The first routing URL. */
  readonly url: string;
  /** Every replica's routing URL (at least one). */
  readonly urls: readonly string[];
}

/** Routing URLs by subgraph name: one, or one per replica. */
export type SubgraphUrlOverrides = Readonly<Record<string, string | readonly string[]>>;

/** Everything derived from one supergraph SDL, built once per (re)load. */
export interface LoadedSupergraph {
  readonly sdl: string;
  readonly supergraph: Supergraph;
  /** The client-facing API schema (federation-internals form, for planning and result shaping). */
  readonly apiSchema: Schema;
  /** The same API schema as graphql-js, for validation and graphql-ws. */
  readonly schema: GraphQLSchema;
  /** The full supergraph as graphql-js, used when applying plan rewrites. */
  readonly supergraphSchema: GraphQLSchema;
  readonly planner: QueryPlanner;
  readonly services: readonly SubgraphService[];
}

/**
 * Parses and validates a supergraph. `urlOverrides` replaces routing URLs by subgraph name
 * (environment-specific hosts, replicas, tests on random ports).
 */
export function loadSupergraph(sdl: string, urlOverrides: SubgraphUrlOverrides = {}): LoadedSupergraph {
  const supergraph = Supergraph.build(sdl, { supportedFeatures: new Set(ROUTER_FEATURES) });
  const apiSchema = supergraph.apiSchema();
  return {
    sdl,
    supergraph,
    apiSchema,
    schema: apiSchema.toGraphQLJSSchema(),
    supergraphSchema: supergraph.schema.toGraphQLJSSchema(),
    planner: new QueryPlanner(supergraph),
    services: supergraph.subgraphsMetadata().map((service) => {
      const override = urlOverrides[service.name];
      const urls = override === undefined ? [service.url] : typeof override === 'string' ? [override] : [...override];
      if (urls.length === 0) throw new Error(`subgraph ${service.name} has no routing URL`);
      return { name: service.name, url: urls[0]!, urls };
    }),
  };
}

/**
 * Subgraph URL overrides from `TRIBUTARY_SUBGRAPH_<NAME>_URL` environment variables: one URL, or
 * a comma-separated list of replicas.
 */
export function urlOverridesFromEnv(env: NodeJS.ProcessEnv = process.env): Record<string, readonly string[]> {
  const overrides: Record<string, readonly string[]> = {};
  for (const [key, value] of Object.entries(env)) {
    const match = /^TRIBUTARY_SUBGRAPH_([A-Z0-9_]+)_URL$/.exec(key);
    const urls =
      value
        ?.split(',')
        .map((url) => url.trim())
        .filter(Boolean) ?? [];
    if (match?.[1] && urls.length > 0) overrides[match[1].toLowerCase()] = urls;
  }
  return overrides;
}
