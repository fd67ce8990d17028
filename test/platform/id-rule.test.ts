import { describe, expect, it } from 'vitest';
import { DomainError, ErrorCode } from '../../subgraphs/shared/errors/codes.js';
import { MAX_ID_LENGTH, validateId, validateOptionalId } from '../../subgraphs/shared/domain/id.js';

/** The error `validateId(value, field)` throws; fails the test when it throws none. */
function refusalOf(value: unknown, field = 'productId'): DomainError {
  try {
    validateId(value, field);
  } catch (error) {
    expect(error).toBeInstanceOf(DomainError);
    return error as DomainError;
  }
  throw new Error(`${JSON.stringify(value)} was accepted as an id`);
}

describe('the id rule', () => {
  it('accepts, unchanged, the ids that tests, seeds, benchmarks and example operations use', () => {
    const ids = [
      'p1',
      'seed-product-1',
      'seed-creative-3-2',
      'SKU_1a2b3c4d5e6f',
      '4f0c1f0e-9a3b-4c1d-8e2f-0a1b2c3d4e5f',
      'bench.campaign/7@eu',
      'zürich läden 東京',
      'i'.repeat(MAX_ID_LENGTH),
    ];
    for (const id of ids) expect(validateId(id, 'id')).toBe(id);
  });

  it('refuses a missing, empty or non-string value as required', () => {
    for (const value of [undefined, null, '', 42, {}]) {
      expect(refusalOf(value).message).toBe('productId is required');
    }
  });

  it('refuses more than 100 characters', () => {
    expect(refusalOf('i'.repeat(MAX_ID_LENGTH + 1)).message).toBe('productId must be at most 100 characters');
  });

  it('refuses surrounding whitespace rather than trimming it', () => {
    for (const value of [' p1', 'p1 ', '\tp1', 'p1\n', '\u00a0p1', '   ']) {
      expect(refusalOf(value).message).toBe('productId must not start or end with whitespace');
    }
  });

  it('refuses control characters anywhere, tabs and line breaks inside included', () => {
    for (const value of ['a\u0000b', 'a\nb', 'a\tb', 'a\rb', 'a\u001fb', 'a\u007fb', 'a\u0085b']) {
      expect(refusalOf(value).message).toBe('productId must not contain control characters');
    }
  });

  it("refuses ':', the separator of the product and store ids in a stock stream", () => {
    for (const value of ['a:b', ':a', 'a:']) expect(refusalOf(value).message).toBe("productId must not contain ':'");
  });

  it('reports BAD_USER_INPUT naming the field, with any further extensions the caller adds', () => {
    const plain = refusalOf('', 'impressions[0].impressionId');
    expect(plain.code).toBe(ErrorCode.BAD_USER_INPUT);
    expect(plain.extensions).toEqual({ field: 'impressions[0].impressionId' });

    let withReason: unknown;
    try {
      validateId('a:b', 'id', { reason: 'INVALID_FIELD' });
    } catch (error) {
      withReason = error;
    }
    expect(withReason).toMatchObject({ code: ErrorCode.BAD_USER_INPUT, extensions: { reason: 'INVALID_FIELD', field: 'id' } });
  });

  it('takes an absent optional id as null and holds a present one to the same rule', () => {
    expect(validateOptionalId(undefined, 'storeId')).toBeNull();
    expect(validateOptionalId(null, 'storeId')).toBeNull();
    expect(validateOptionalId('s1', 'storeId')).toBe('s1');
    expect(() => validateOptionalId('', 'storeId')).toThrow('storeId is required');
    expect(() => validateOptionalId('a:b', 'storeId')).toThrow("storeId must not contain ':'");
  });
});
