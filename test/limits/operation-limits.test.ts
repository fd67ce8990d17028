import { Kind, parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { checkOperationLimits, checkOperationText, countTokens, measureOperation, operationLimits } from '../../router/limits/index.js';

const measure = (text: string, operationName?: string) => {
  const document = parse(text);
  const operation = document.definitions.find(
    (definition) => definition.kind === Kind.OPERATION_DEFINITION && (operationName === undefined || definition.name?.value === operationName),
  );
  if (operation?.kind !== Kind.OPERATION_DEFINITION) throw new Error('no operation');
  return measureOperation(document, operation);
};

const codes = (errors: ReadonlyArray<{ extensions: Record<string, unknown> }>) => errors.map((error) => error.extensions.code);

describe('operation measures', () => {
  it('counts depth as fields from the root to the deepest leaf, through fragments and inline fragments', () => {
    expect(measure('{ a }').depth).toBe(1);
    expect(measure('{ a { b { c } } d }').depth).toBe(3);
    expect(measure('query { a { ...F } } fragment F on T { b { ... on U { c { d } } } }').depth).toBe(4);
  });

  it('counts distinct fields once, however often they are aliased or spread', () => {
    expect(measure('{ a { x } b: a { x y } c: a { x } }').height).toBe(3);
    expect(measure('{ a { ...F ...F } b { ...F } } fragment F on T { x y }').height).toBe(6);
  });

  it('counts every aliased occurrence, fragments expanded where spread', () => {
    expect(measure('{ a: x b: x c { d: y } }').aliases).toBe(3);
    expect(measure('{ ...F ...F p { ...F } } fragment F on T { one: x two: y }').aliases).toBe(6);
  });

  it('counts root fields with their aliases and the root fields fragments bring', () => {
    expect(measure('{ a b: a ... on Query { c } ...F } fragment F on Query { d e }').rootFields).toBe(5);
  });

  it('reports the most directives on any one selection', () => {
    expect(
      measure('query Q($s: Boolean!) { a @skip(if: $s) @include(if: true) b { c @skip(if: false) } ...F @skip(if: $s) } fragment F on Query { d }').directives,
    ).toBe(2);
  });

  it('measures the operation asked for by name, not the others of the document', () => {
    const text = 'query Small { a } query Deep { a { b { c { d } } } }';
    expect(measure(text, 'Small').depth).toBe(1);
    expect(checkOperationLimits(parse(text), operationLimits({ maxDepth: 2 }), 'Small')).toEqual([]);
    expect(codes(checkOperationLimits(parse(text), operationLimits({ maxDepth: 2 }), 'Deep'))).toEqual(['MAX_DEPTH_EXCEEDED']);
  });

  it('stops at fragment cycles instead of following them forever', () => {
    const cyclic = measure('{ a { ...F } } fragment F on T { b { ...G } } fragment G on T { c { ...F } }');
    expect(cyclic).toEqual({ depth: 3, height: 3, aliases: 0, rootFields: 1, directives: 0 });
  });

  it('measures fragments spread into fragments without expanding them: 2^40 aliases counted at once', () => {
    const levels = 40;
    const fragments = Array.from({ length: levels }, (_, level) =>
      level === levels - 1 ? `fragment F${level} on T { alias: x }` : `fragment F${level} on T { alias: x ...F${level + 1} ...F${level + 1} }`,
    );
    const found = measure(`{ ...F0 } ${fragments.join(' ')}`);
    expect(found.aliases).toBe(2 ** levels - 1);
    expect(found.height).toBe(1);
  });
});

describe('operation limits', () => {
  it('names the limit and the value found, with a code of its own for each limit', () => {
    const limits = operationLimits({ maxDepth: 2, maxHeight: 3, maxAliases: 1, maxRootFields: 2, maxDirectives: 1 });
    const errors = checkOperationLimits(parse('query($s: Boolean!) { a { b { c } } x: d y: e @skip(if: $s) @include(if: true) }'), limits);
    expect(errors.map((error) => [error.extensions, error.message])).toEqual([
      [{ code: 'MAX_DEPTH_EXCEEDED', limit: 2, found: 3 }, 'The operation has 3 levels of fields, more than the limit of 2.'],
      [{ code: 'MAX_HEIGHT_EXCEEDED', limit: 3, found: 4 }, 'The operation has at least 4 distinct fields, more than the limit of 3.'],
      [{ code: 'MAX_ALIASES_EXCEEDED', limit: 1, found: 2 }, 'The operation has 2 aliases, more than the limit of 1.'],
      [{ code: 'MAX_ROOT_FIELDS_EXCEEDED', limit: 2, found: 3 }, 'The operation has 3 root fields, more than the limit of 2.'],
      [{ code: 'MAX_DIRECTIVES_EXCEEDED', limit: 1, found: 2 }, 'The operation has 2 directives on one selection, more than the limit of 1.'],
    ]);
  });

  it('lets an operation exactly at every limit through', () => {
    const limits = operationLimits({ maxDepth: 3, maxHeight: 5, maxAliases: 2, maxRootFields: 3, maxDirectives: 2 });
    expect(checkOperationLimits(parse('query($s: Boolean!) { a { b { c } } x: d y: e @skip(if: $s) @include(if: true) }'), limits)).toEqual([]);
  });

  it('refuses an oversized text by its UTF-8 size before reading it', () => {
    const limits = operationLimits({ maxOperationBytes: 100 });
    expect(checkOperationText(`{ a } # ${'x'.repeat(92)}`, limits)).toEqual([]);
    const [tooBig] = checkOperationText(`{ a } # ${'é'.repeat(50)}`, limits);
    expect(tooBig?.extensions).toEqual({ code: 'MAX_OPERATION_SIZE_EXCEEDED', limit: 100, found: 108 });
    expect(tooBig?.message).toBe('The operation has 108 bytes, more than the limit of 100.');
  });

  it('refuses too many tokens without parsing: what follows the limit is never read', () => {
    const limits = operationLimits({ maxTokens: 100 });
    // Comments are not tokens; `~` is no GraphQL at all, and parsing would fail on it.
    const text = `# a comment\n{ ${'a '.repeat(200)} ~~~ }`;
    expect(() => parse(text)).toThrow(/Syntax Error/);
    const [refused] = checkOperationText(text, limits);
    expect(refused?.extensions).toEqual({ code: 'MAX_TOKENS_EXCEEDED', limit: 100, found: 101 });
    expect(refused?.message).toBe('The operation has at least 101 tokens, more than the limit of 100.');
    expect(checkOperationText(`{ ${'a '.repeat(98)}}`, limits)).toEqual([]);
  });

  it('counts tokens as the parser reads them, up to one past the limit', () => {
    expect(countTokens('query Q($id: ID!) { node(id: $id) { ... on T { x } } } # not counted')).toBe(26);
    expect(countTokens('{ a b c d e }', 3)).toBe(4);
    // The count stops at the limit even in a 10 MB text.
    expect(countTokens(`{ ${'field '.repeat(1_750_000)} }`, 5_000)).toBe(5_001);
  });
});
