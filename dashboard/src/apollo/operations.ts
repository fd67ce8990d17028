/**
 * The dashboard's GraphQL operations, taken from `schema/operations/` at build time (so the
 * schema check in CI validates exactly what the dashboard sends) and looked up by name.
 */
import { Kind, parse, separateOperations, type DocumentNode } from 'graphql';
import type { TypedDocumentNode } from '@apollo/client';
import campaignsSource from '../../../schema/operations/dashboard-campaigns.graphql?raw';
import inventorySource from '../../../schema/operations/dashboard-inventory.graphql?raw';
import qualitySource from '../../../schema/operations/dashboard-quality.graphql?raw';

/** Each operation with the fragments it uses, by operation name. */
const byName: Record<string, DocumentNode> = separateOperations({
  kind: Kind.DOCUMENT,
  definitions: [campaignsSource, inventorySource, qualitySource].flatMap((source) => parse(source).definitions),
});

/**
 * A document holding the named operation and the fragments it uses.
 *
 * @throws Error when no operations file defines the name (a build-time mistake).
 */
export function operation<Data, Variables extends Record<string, unknown> = Record<string, never>>(name: string): TypedDocumentNode<Data, Variables> {
  const document = byName[name];
  if (!document) throw new Error(`no operation named ${name} under schema/operations`);
  return document;
}
