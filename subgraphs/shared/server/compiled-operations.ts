import {
  getOperationAST,
  OperationTypeNode,
  parse,
  specifiedRules,
  validate,
  type DocumentNode,
  type GraphQLSchema,
  type OperationDefinitionNode,
} from 'graphql';
import { compileQuery, isCompiledQuery, type CompiledQuery } from 'graphql-jit';
import { LRUCache } from 'lru-cache';

/** Distinct operation texts kept compiled: the router sends a bounded set of them. */
const MAX_DOCUMENTS = 1_000;
/** Total text kept, in UTF-16 code units (what is kept for a text grows with its length). */
const MAX_TEXT = 8 * 1024 * 1024;

/** A text's valid document (undefined when it does not parse or validate) and its compiled operations by name. */
interface Entry {
  readonly document: DocumentNode | undefined;
  /** null: the operation could not be compiled (no such operation, or the compiler refused it). */
  readonly operations: Map<string, CompiledOperation | null>;
}

/**
 * An operation that can run: its document and definition, and for a query its compiled form.
 * Mutations are not compiled: graphql-js runs them, so that their fields run one after the other
 * exactly as it runs them (a failed field stops the ones after it).
 */
export interface CompiledOperation {
  readonly document: DocumentNode;
  readonly operation: OperationDefinitionNode;
  readonly query: CompiledQuery | undefined;
}

/**
 * Parses and validates each distinct operation text once (graphql-js's specified rules, as Apollo
 * Server validates), then compiles each of its operations once into a JavaScript function
 * (graphql-jit), so a repeated operation skips parsing, validation and graphql-js's per-field
 * interpretation. Texts that do not parse, validate or compile are remembered as such: the caller
 * lets the full pipeline answer them, with its error codes.
 */
export class CompiledOperations {
  private readonly entries = new LRUCache<string, Entry>({
    max: MAX_DOCUMENTS,
    maxSize: MAX_TEXT,
    sizeCalculation: (_value, key) => Math.max(1, key.length),
  });

  constructor(private readonly schema: GraphQLSchema) {}

  /** The compiled operation `operationName` (the only one when undefined) of `text`, or undefined. */
  get(text: string, operationName: string | undefined): CompiledOperation | undefined {
    let entry = this.entries.get(text);
    if (!entry) {
      entry = { document: this.check(text), operations: new Map() };
      // A text larger than the whole cache is checked every time rather than evicting everything.
      if (text.length <= MAX_TEXT) this.entries.set(text, entry);
    }
    const { document } = entry;
    if (!document) return undefined;
    const name = operationName ?? '';
    let compiled = entry.operations.get(name);
    if (compiled === undefined) {
      // Only names of the document's operations are kept, so the map stays as small as the document.
      const operation = getOperationAST(document, operationName);
      if (!operation || operation.operation === OperationTypeNode.SUBSCRIPTION) return undefined;
      if (operation.operation === OperationTypeNode.MUTATION) compiled = { document, operation, query: undefined };
      else {
        const query = this.compile(document, operationName);
        compiled = query ? { document, operation, query } : null;
      }
      entry.operations.set(name, compiled);
    }
    return compiled ?? undefined;
  }

  private check(text: string): DocumentNode | undefined {
    let document: DocumentNode;
    try {
      document = parse(text);
    } catch {
      return undefined;
    }
    return validate(this.schema, document, specifiedRules).length === 0 ? document : undefined;
  }

  private compile(document: DocumentNode, operationName: string | undefined): CompiledQuery | null {
    try {
      // Path-based @skip/@include: the compiler's exact handling of them inside fragment spreads.
      const compiled = compileQuery(this.schema, document, operationName, { useExperimentalPathBasedSkipInclude: true });
      return isCompiledQuery(compiled) ? compiled : null;
    } catch {
      return null;
    }
  }
}
