import { Supergraph, printSchema as printFederationSchema } from '@apollo/federation-internals';
import { buildSchema, type GraphQLSchema } from 'graphql';

/**
 * The API schema (what clients of the router see) of a supergraph, as SDL: federation machinery
 * (join/link directives, `@inaccessible` elements) removed.
 *
 * @throws Error when the SDL is not a valid supergraph.
 */
export function apiSchemaSdlOf(supergraphSdl: string): string {
  const api = Supergraph.build(supergraphSdl, { supportedFeatures: null }).apiSchema();
  return printFederationSchema(api);
}

/**
 * Builds the API schema of a supergraph as a graphql-js schema.
 *
 * The schema is printed by @apollo/federation-internals and rebuilt with this module's `graphql`,
 * so it works with `validate` and `TypeInfo` even when the CommonJS federation packages load a
 * different copy of graphql (ESM/CJS dual package, e.g. under vitest).
 *
 * @throws Error when the SDL is not a valid supergraph.
 */
export function apiSchemaOf(supergraphSdl: string): GraphQLSchema {
  return buildSchema(apiSchemaSdlOf(supergraphSdl));
}
