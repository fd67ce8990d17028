import { GraphQLError, parse, validate, type DocumentNode, type GraphQLSchema } from 'graphql';
import { withRequestErrorCode } from '../../subgraphs/shared/server/format-error.js';

/** A parsed and validated operation, or the coded errors that reject it. */
export type CheckedDocument = { readonly document: DocumentNode } | { readonly errors: readonly GraphQLError[] };

/**
 * Parsed and validated operation documents by text, least recently used evicted first. Clients
 * send the same few operation texts over and over (a dashboard's subscription, GraphiQL's tabs),
 * and a subscription keeps its document for its whole life: sharing one DocumentNode per text
 * saves the parse and validation per subscribe and ~10 KB per open subscription. Entries belong to
 * one schema; a reloaded supergraph starts an empty cache.
 */
export class DocumentCache {
  private readonly entries = new Map<string, CheckedDocument>();
  private schema: GraphQLSchema | undefined;

  constructor(private readonly capacity = 1000) {}

  get size(): number {
    return this.entries.size;
  }

  check(schema: GraphQLSchema, text: string): CheckedDocument {
    if (schema !== this.schema) {
      this.entries.clear();
      this.schema = schema;
    }
    const cached = this.entries.get(text);
    if (cached) {
      // Map order is insertion order: re-inserting marks it as the most recently used.
      this.entries.delete(text);
      this.entries.set(text, cached);
      return cached;
    }
    const checked = checkDocument(schema, text);
    if (this.entries.size >= this.capacity) this.entries.delete(this.entries.keys().next().value!);
    this.entries.set(text, checked);
    return checked;
  }
}

function checkDocument(schema: GraphQLSchema, text: string): CheckedDocument {
  let document: DocumentNode;
  try {
    // Without locations a document is about half the size; they only serve error messages.
    document = parse(text, { noLocation: true });
  } catch (error) {
    return { errors: [withRequestErrorCode(error instanceof GraphQLError ? error : new GraphQLError(String(error)))] };
  }
  if (validate(schema, document).length === 0) return { document };
  // Rejected: validate again with locations, so the errors point at the offending lines.
  return { errors: validate(schema, parse(text)).map(withRequestErrorCode) };
}
