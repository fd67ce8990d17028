/** The client operations under schema/operations, by name, as the dashboard sends them. */
import { readFileSync, readdirSync } from 'node:fs';
import { Kind, parse, separateOperations, type DocumentNode } from 'graphql';
import type { TypedDocumentNode } from '@apollo/client';

const dir = new URL('../../schema/operations/', import.meta.url);
const byName = separateOperations({
  kind: Kind.DOCUMENT,
  definitions: readdirSync(dir)
    .filter((name) => name.endsWith('.graphql'))
    .flatMap((name) => parse(readFileSync(new URL(name, dir), 'utf8')).definitions),
});

/** The named operation with the fragments it uses; throws for an unknown name. */
export function operationNamed<Data = Record<string, any>, Variables extends Record<string, unknown> = Record<string, any>>(
  name: string,
): TypedDocumentNode<Data, Variables> {
  const document: DocumentNode | undefined = byName[name];
  if (!document) throw new Error(`no operation ${name} under schema/operations`);
  return document;
}
