import { composeServices } from '@apollo/composition';
import { GraphQLError, Source, parse, type DocumentNode } from 'graphql';
import { locationOfNode, toCompositionError, toCompositionHint, type CompositionError, type CompositionHint } from './composition-diagnostics.js';
import type { SubgraphConfig } from './supergraph-config.js';

/** The result of composing subgraphs: a supergraph with hints, or the errors that prevent one. */
export type CompositionOutcome = { ok: true; supergraphSdl: string; hints: CompositionHint[] } | { ok: false; errors: CompositionError[] };

/** Parses one subgraph SDL, naming the source after its file so errors point into it. */
function parseSubgraph(subgraph: SubgraphConfig): DocumentNode | CompositionError {
  const source = new Source(subgraph.sdl, subgraph.schemaFile ?? `${subgraph.name} (inline sdl)`);
  try {
    return parse(source);
  } catch (error) {
    if (!(error instanceof GraphQLError)) throw error;
    const [location] = error.locations ?? [];
    return {
      subgraph: subgraph.name,
      subgraphs: [subgraph.name],
      message: `[${subgraph.name}] ${error.message}`,
      code: 'INVALID_GRAPHQL',
      locations: location ? [{ subgraph: subgraph.name, file: source.name, line: location.line, column: location.column }] : [],
    };
  }
}

/**
 * Composes subgraphs into a supergraph with @apollo/composition's `composeServices`.
 * Each error is attributed to the subgraph(s) it names, with locations in their schema files.
 * Never throws for invalid schemas: syntax errors and composition failures are returned as errors.
 */
export function composeSubgraphs(config: { subgraphs: readonly SubgraphConfig[] }): CompositionOutcome {
  const names = config.subgraphs.map((s) => s.name);
  const errors: CompositionError[] = [];
  const services = [];
  for (const subgraph of config.subgraphs) {
    const parsed = parseSubgraph(subgraph);
    if ('kind' in parsed) {
      services.push({ name: subgraph.name, url: subgraph.routingUrl, typeDefs: parsed });
    } else {
      errors.push(parsed);
    }
  }
  if (errors.length > 0) return { ok: false, errors };

  let result: ReturnType<typeof composeServices>;
  try {
    result = composeServices(services);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const nodes = error instanceof GraphQLError ? (error.nodes ?? []) : [];
    return {
      ok: false,
      errors: [
        {
          subgraphs: [],
          message: `composition crashed: ${message}`,
          code: 'COMPOSITION_EXCEPTION',
          locations: nodes.map((n) => locationOfNode(n)).filter((l) => l !== undefined),
        },
      ],
    };
  }
  if (result.errors) {
    return { ok: false, errors: result.errors.map((e) => toCompositionError(e, names)) };
  }
  return {
    ok: true,
    supergraphSdl: result.supergraphSdl,
    hints: result.hints.map((hint) => toCompositionHint(hint, names)),
  };
}
