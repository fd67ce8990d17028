import { GraphQLError, parse, validate, type DocumentNode, type GraphQLSchema, type ValidationRule } from 'graphql';
import { LRUCache } from 'lru-cache';
import { withRequestErrorCode } from '../../common/errors/format-error.js';

/** A parsed and validated operation, or the coded errors that reject it. */
export type CheckedDocument = { readonly document: DocumentNode } | { readonly errors: readonly GraphQLError[] };

/**
 * Parsed and validated operation documents by text, least recently used evicted first. Clients
 * send the same few operation texts over and over (a dashboard's subscription, GraphiQL's tabs),
 * and a subscription keeps its document for its whole life: sharing one DocumentNode per text
 * saves the parse and validation per request and ~10 KB per open subscription. Entries belong to
 * one schema; a reloaded supergraph starts an empty cache.
 */
export class DocumentCache {
  private readonly entries: LRUCache<string, CheckedDocument>;
  private schema: GraphQLSchema | undefined;

  constructor(
    capacity = 1000,
    private readonly rules?: readonly ValidationRule[],
  ) {
    this.entries = new LRUCache({ max: capacity });
  }

  get size(): number {
    return this.entries.size;
  }

  check(schema: GraphQLSchema, text: string): CheckedDocument {
    if (schema !== this.schema) {
      this.entries.clear();
      this.schema = schema;
    }
    const cached = this.entries.get(text);
    if (cached) return cached;
    const checked = this.checkDocument(schema, text);
    this.entries.set(text, checked);
    return checked;
  }

  private checkDocument(schema: GraphQLSchema, text: string): CheckedDocument {
    let document: DocumentNode;
    try {
      // Without locations a document is about half the size; they only serve error messages.
      document = parse(text, { noLocation: true });
    } catch (error) {
      return { errors: [withRequestErrorCode(error instanceof GraphQLError ? error : new GraphQLError(String(error)))] };
    }
    if (validate(schema, document, this.rules).length === 0) return { document };
    // Rejected: validate again with locations, so the errors point at the offending lines.
    return { errors: validate(schema, parse(text), this.rules).map(withRequestErrorCode) };
  }
}
