import { getLocation, type ASTNode, type GraphQLError } from 'graphql';

/** A position in a subgraph schema that a composition error or hint points at. */
export interface SubgraphLocation {
  /** The subgraph the position belongs to, when known. */
  subgraph?: string;
  /** The schema file (absolute path), when the SDL came from a file. */
  file?: string;
  line: number;
  column: number;
}

/** A composition error, attributed to the subgraph(s) it names. */
export interface CompositionError {
  /** The one subgraph the error is about; undefined when it spans several or none is named. */
  subgraph?: string;
  /** Every subgraph the error names (e.g. both sides of a field type mismatch). */
  subgraphs: string[];
  /** The message from composition, e.g. `[tracking] On type "Product", for @key(...)`. */
  message: string;
  /** Composition's error code, e.g. `FIELD_TYPE_MISMATCH`, `KEY_INVALID_FIELDS`. */
  code: string;
  /** Where in the subgraph schemas the error points. */
  locations: SubgraphLocation[];
}

/** A composition hint (composed, but worth a look). */
export interface CompositionHint {
  /** Hint code, e.g. `INCONSISTENT_BUT_COMPATIBLE_FIELD_TYPE`. */
  code: string;
  /** `WARN`, `INFO` or `DEBUG`. */
  level: string;
  message: string;
  /** Schema coordinate the hint is about, when known. */
  coordinate?: string;
  /** Subgraphs the hint names. */
  subgraphs: string[];
}

/** An AST node from composition, tagged with the subgraph it came from. */
type SubgraphNode = ASTNode & { subgraph?: string };

/** The location of one AST node, with the subgraph and file it came from. */
export function locationOfNode(node: SubgraphNode): SubgraphLocation | undefined {
  const loc = node.loc;
  if (!loc) return undefined;
  const { line, column } = getLocation(loc.source, loc.start);
  const location: SubgraphLocation = { line, column };
  if (node.subgraph) location.subgraph = node.subgraph;
  if (loc.source.name && loc.source.name !== 'GraphQL request') location.file = loc.source.name;
  return location;
}

/**
 * The subgraphs a composition message names: the nodes' subgraph tags first, then a leading
 * `[name]` prefix, then any `subgraph "name"` mention of a known subgraph.
 */
export function subgraphsNamedBy(message: string, nodes: readonly SubgraphNode[], known: readonly string[]): string[] {
  const named = new Set<string>();
  for (const node of nodes) if (node.subgraph) named.add(node.subgraph);
  const prefix = /^\[([^\]]+)\]/.exec(message)?.[1];
  if (prefix && known.includes(prefix)) named.add(prefix);
  for (const name of known) {
    if (message.includes(`subgraph "${name}"`) || message.includes(`subgraph ${name}`)) {
      named.add(name);
    }
  }
  return [...named];
}

/** Converts a composition GraphQLError into a {@link CompositionError}. */
export function toCompositionError(error: GraphQLError, known: readonly string[]): CompositionError {
  const nodes = (error.nodes ?? []) as readonly SubgraphNode[];
  const subgraphs = subgraphsNamedBy(error.message, nodes, known);
  const code = error.extensions['code'];
  const result: CompositionError = {
    subgraphs,
    message: error.message,
    code: typeof code === 'string' ? code : 'COMPOSITION_ERROR',
    locations: nodes.map(locationOfNode).filter((l): l is SubgraphLocation => l !== undefined),
  };
  if (subgraphs.length === 1) result.subgraph = subgraphs[0];
  return result;
}

/** The part of a composition hint this module reads (avoids a deep import of its class). */
export interface RawCompositionHint {
  readonly definition: { code: string; level: { name: string } };
  readonly message: string;
  readonly coordinate?: string;
  readonly nodes?: readonly ASTNode[];
}

/** Converts a composition hint into a plain {@link CompositionHint}. */
export function toCompositionHint(hint: RawCompositionHint, known: readonly string[]): CompositionHint {
  const nodes = (hint.nodes ?? []) as readonly SubgraphNode[];
  const result: CompositionHint = {
    code: hint.definition.code,
    level: hint.definition.level.name,
    message: hint.message,
    subgraphs: subgraphsNamedBy(hint.message, nodes, known),
  };
  if (hint.coordinate) result.coordinate = hint.coordinate;
  return result;
}
