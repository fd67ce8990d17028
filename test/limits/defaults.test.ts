import { Kind, parse, validate } from 'graphql';
import { describe, expect, it } from 'vitest';
import { costSchemaFromSupergraphSdl } from '../../router/demand-control/index.js';
import { checkOperationLimits, checkOperationText, DEFAULT_OPERATION_LIMITS, measureOperation, operationLimits } from '../../router/limits/index.js';
import { aliasedProducts, productCampaignCycle, shippedOperations, supergraphSdl } from './shipped-operations.js';

const { schema } = costSchemaFromSupergraphSdl(supergraphSdl());
const codes = (errors: ReadonlyArray<{ extensions: Record<string, unknown> }>) => errors.map((error) => error.extensions.code);

describe('default operation limits', () => {
  const operations = shippedOperations();

  it('pass every operation under schema/operations/, every playground example and GraphiQL introspection', () => {
    // The playground shows one tab per operation under schema/operations/, and the two introspection queries.
    expect(operations.filter((operation) => operation.name.startsWith('playground')).length).toBeGreaterThanOrEqual(7);
    const refused = operations.flatMap((operation) => {
      const errors = [...checkOperationText(operation.text), ...checkOperationLimits(operation.document, DEFAULT_OPERATION_LIMITS, operation.operationName)];
      return errors.map((error) => `${operation.name}: ${error.message}`);
    });
    expect(refused).toEqual([]);
  });

  it('are checked against operations that are valid on the supergraph', () => {
    for (const operation of operations) expect(validate(schema, operation.document), operation.name).toEqual([]);
  });

  it('leave room above the deepest and widest of them, the introspection query', () => {
    let deepest = 0;
    let widest = 0;
    for (const operation of operations) {
      for (const definition of operation.document.definitions) {
        if (definition.kind !== Kind.OPERATION_DEFINITION) continue;
        const measures = measureOperation(operation.document, definition);
        deepest = Math.max(deepest, measures.depth);
        widest = Math.max(widest, measures.height);
      }
    }
    expect(deepest).toBe(15);
    expect(DEFAULT_OPERATION_LIMITS.maxDepth).toBeGreaterThan(deepest);
    expect(DEFAULT_OPERATION_LIMITS.maxHeight).toBeGreaterThan(widest);
  });

  it('refuse a 51-level products → campaigns → product → … query with MAX_DEPTH_EXCEEDED', () => {
    const text = productCampaignCycle(51);
    const document = parse(text);
    expect(validate(schema, document)).toEqual([]);
    expect(checkOperationText(text)).toEqual([]);
    const errors = checkOperationLimits(document);
    expect(codes(errors)).toEqual(['MAX_DEPTH_EXCEEDED']);
    expect(errors[0]?.message).toBe('The operation has 51 levels of fields, more than the limit of 16.');
    // Depth 32 took the router 3.9 s; it is refused too, while the depth-16 form passes the limits.
    expect(codes(checkOperationLimits(parse(productCampaignCycle(32))))).toEqual(['MAX_DEPTH_EXCEEDED']);
    expect(checkOperationLimits(parse(productCampaignCycle(16)))).toEqual([]);
  });

  it('refuse 10,000 aliases of products(first: 1) before parsing, and by aliases and root fields once parsed', () => {
    const text = aliasedProducts(10_000, 1);
    expect(codes(checkOperationText(text))).toEqual(['MAX_OPERATION_SIZE_EXCEEDED']);
    // With the size cap lifted, the token count refuses it before any parse.
    expect(codes(checkOperationText(text, operationLimits({ maxOperationBytes: Number.POSITIVE_INFINITY })))).toEqual(['MAX_TOKENS_EXCEEDED']);
    const document = parse(text);
    expect(validate(schema, document)).toEqual([]);
    const errors = checkOperationLimits(document);
    expect(codes(errors)).toEqual(['MAX_ALIASES_EXCEEDED', 'MAX_ROOT_FIELDS_EXCEEDED']);
    expect(errors[0]?.message).toBe('The operation has 10000 aliases, more than the limit of 30.');
  });

  it('refuse 1,000 aliases of products(first: 50) by their tokens, and by aliases once parsed', () => {
    const text = aliasedProducts(1_000, 50);
    expect(codes(checkOperationText(text))).toEqual(['MAX_TOKENS_EXCEEDED']);
    expect(codes(checkOperationLimits(parse(text)))).toEqual(['MAX_ALIASES_EXCEEDED', 'MAX_ROOT_FIELDS_EXCEEDED']);
  });
});
