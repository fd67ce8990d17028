import { Supergraph, type Schema } from '@apollo/federation-internals';
import { QueryPlanner } from '@apollo/query-planner';
import type { GraphQLSchema } from 'graphql';

/** A subgraph as the router reaches it. */
export interface SubgraphService {
  readonly name: string;
  readonly url: string;
}

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
 * (environment-specific hosts, tests on random ports).
 */
export function loadSupergraph(sdl: string, urlOverrides: Readonly<Record<string, string>> = {}): LoadedSupergraph {
  const supergraph = Supergraph.build(sdl);
  const apiSchema = supergraph.apiSchema();
  return {
    sdl,
    supergraph,
    apiSchema,
    schema: apiSchema.toGraphQLJSSchema(),
    supergraphSchema: supergraph.schema.toGraphQLJSSchema(),
    planner: new QueryPlanner(supergraph),
    services: supergraph.subgraphsMetadata().map((service) => ({ name: service.name, url: urlOverrides[service.name] ?? service.url })),
  };
}

/** Subgraph URL overrides from `TRIBUTARY_SUBGRAPH_<NAME>_URL` environment variables. */
export function urlOverridesFromEnv(env: NodeJS.ProcessEnv = process.env): Record<string, string> {
  const overrides: Record<string, string> = {};
  for (const [key, value] of Object.entries(env)) {
    const match = /^TRIBUTARY_SUBGRAPH_([A-Z0-9_]+)_URL$/.exec(key);
    if (match?.[1] && value) overrides[match[1].toLowerCase()] = value;
  }
  return overrides;
}
