import fc from 'fast-check';
import { Kind, parse, type OperationDefinitionNode } from 'graphql';
import { describe, expect, it } from 'vitest';
import { checkOperationLimits, countTokens, measureOperation, operationLimits, type OperationMeasures } from '../../router/limits/index.js';
import { checkProperty } from '../support/properties.js';

/**
 * Random documents as plain data, written out as GraphQL text, and measured a second time here by
 * expanding every fragment where it is spread (a fragment spreads only later ones, so there is no
 * cycle) and merging the field tree by hand: a reference that shares nothing with the limits' code.
 */
type Selection =
  | { readonly kind: 'field'; readonly name: string; readonly alias: string | null; readonly directives: number; readonly children: readonly Selection[] }
  | { readonly kind: 'inline'; readonly directives: number; readonly children: readonly Selection[] }
  | { readonly kind: 'spread'; readonly fragment: number; readonly directives: number };

interface Document {
  readonly operationDirectives: number;
  readonly selections: readonly Selection[];
  /** Fragment `F<i>` may spread only fragments after it. */
  readonly fragments: ReadonlyArray<readonly Selection[]>;
}

const FIELD_NAMES = ['a', 'b', 'c', 'd'];
const FRAGMENTS = 3;

/** Selections that may spread fragments numbered from `firstFragment` on. */
function selections(firstFragment: number, depth: number): fc.Arbitrary<Selection[]> {
  const directives = fc.oneof({ weight: 4, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: fc.integer({ min: 1, max: 3 }) });
  const leaf = fc.record({
    kind: fc.constant('field' as const),
    name: fc.constantFrom(...FIELD_NAMES),
    alias: fc.option(fc.constantFrom('x', 'y', 'z'), { freq: 3, nil: null }),
    directives,
    children: fc.constant([] as Selection[]),
  });
  const options: Array<fc.Arbitrary<Selection>> = [leaf];
  if (depth > 0) {
    const below = selections(firstFragment, depth - 1);
    options.push(
      fc.record({
        kind: fc.constant('field' as const),
        name: fc.constantFrom(...FIELD_NAMES),
        alias: fc.option(fc.constantFrom('x', 'y'), { freq: 3, nil: null }),
        directives,
        children: below,
      }),
    );
    options.push(fc.record({ kind: fc.constant('inline' as const), directives, children: below }));
  }
  if (firstFragment < FRAGMENTS) {
    options.push(fc.record({ kind: fc.constant('spread' as const), fragment: fc.integer({ min: firstFragment, max: FRAGMENTS - 1 }), directives }));
  }
  return fc.array(fc.oneof(...options), { minLength: 1, maxLength: 3 });
}

const documents: fc.Arbitrary<Document> = fc.record({
  operationDirectives: fc.nat({ max: 2 }),
  selections: selections(0, 3),
  fragments: fc.tuple(...Array.from({ length: FRAGMENTS }, (_, index) => selections(index + 1, 2))),
});

/** The text of a document and the number of lexical tokens in it, counted while writing it. */
function write(document: Document, noise: () => string): { text: string; tokens: number } {
  let tokens = 0;
  const out: string[] = [];
  const emit = (...parts: string[]) => {
    for (const part of parts) {
      out.push(part, noise());
      tokens += 1;
    }
  };
  const directives = (count: number) => {
    for (let index = 0; index < count; index += 1) emit('@', `d${index}`);
  };
  const set = (list: readonly Selection[]) => {
    emit('{');
    for (const selection of list) {
      if (selection.kind === 'field') {
        if (selection.alias) emit(selection.alias, ':');
        emit(selection.name);
        directives(selection.directives);
        if (selection.children.length > 0) set(selection.children);
      } else if (selection.kind === 'inline') {
        emit('...', 'on', 'T');
        directives(selection.directives);
        set(selection.children);
      } else {
        emit('...', `F${selection.fragment}`);
        directives(selection.directives);
      }
    }
    emit('}');
  };
  emit('query', 'Q');
  directives(document.operationDirectives);
  set(document.selections);
  document.fragments.forEach((fragment, index) => {
    emit('fragment', `F${index}`, 'on', 'T');
    set(fragment);
  });
  return { text: out.join(''), tokens };
}

/** A field of the document with every fragment spread expanded in place. */
interface Expanded {
  readonly name: string;
  readonly aliased: boolean;
  readonly children: Expanded[];
}

function reference(document: Document): OperationMeasures {
  let directives = document.operationDirectives;
  const expand = (list: readonly Selection[]): Expanded[] =>
    list.flatMap((selection): Expanded[] => {
      directives = Math.max(directives, selection.directives);
      if (selection.kind === 'field') return [{ name: selection.name, aliased: selection.alias !== null, children: expand(selection.children) }];
      if (selection.kind === 'inline') return expand(selection.children);
      return expand(document.fragments[selection.fragment]!);
    });
  const root = expand(document.selections);
  const depth = (list: readonly Expanded[]): number => Math.max(0, ...list.map((field) => 1 + depth(field.children)));
  const aliases = (list: readonly Expanded[]): number => list.reduce((sum, field) => sum + (field.aliased ? 1 : 0) + aliases(field.children), 0);
  // Fields of one name under one parent are one field: merge their children, then count the nodes.
  const height = (list: readonly Expanded[]): number => {
    const byName = new Map<string, Expanded[]>();
    for (const field of list) byName.set(field.name, [...(byName.get(field.name) ?? []), ...field.children]);
    return [...byName.values()].reduce((sum, children) => sum + 1 + height(children), 0);
  };
  return { depth: depth(root), height: height(root), aliases: aliases(root), rootFields: root.length, directives };
}

const operationOf = (text: string) => {
  const parsed = parse(text);
  const operation = parsed.definitions.find((definition): definition is OperationDefinitionNode => definition.kind === Kind.OPERATION_DEFINITION)!;
  return { parsed, operation };
};

/** What the lexer skips: nothing, spaces, commas, line breaks and comments. */
const noiseTape = fc.array(fc.constantFrom(' ', ' ', ' ', ',', '\n', '  ', ' # a comment { } @ ...\n', '\t'), { minLength: 1, maxLength: 8 });
const noiseFrom = (tape: readonly string[]) => {
  let index = 0;
  return () => tape[index++ % tape.length]!;
};

describe('operation limits on random documents', () => {
  it('measure depth, distinct fields, aliases, root fields and directives as a naive expansion of every fragment does', () => {
    checkProperty(
      fc.property(documents, noiseTape, (document, tape) => {
        const { parsed, operation } = operationOf(write(document, noiseFrom(tape)).text);
        expect(measureOperation(parsed, operation)).toEqual(reference(document));
      }),
      { numRuns: 200 },
    );
  });

  it('stop counting distinct fields just past the limit, and refuse exactly the documents over a limit', () => {
    checkProperty(
      fc.property(documents, fc.nat({ max: 12 }), fc.nat({ max: 6 }), (document, maxHeight, maxDepth) => {
        const { parsed, operation } = operationOf(write(document, () => ' ').text);
        const expected = reference(document);
        expect(measureOperation(parsed, operation, { heightLimit: maxHeight }).height).toBe(Math.min(expected.height, maxHeight + 1));
        const limits = operationLimits({ maxHeight, maxDepth, maxAliases: 2, maxRootFields: 3, maxDirectives: 1 });
        const codes = checkOperationLimits(parsed, limits).map((error) => error.extensions.code);
        expect(codes).toEqual(
          [
            expected.depth > maxDepth && 'MAX_DEPTH_EXCEEDED',
            expected.height > maxHeight && 'MAX_HEIGHT_EXCEEDED',
            expected.aliases > 2 && 'MAX_ALIASES_EXCEEDED',
            expected.rootFields > 3 && 'MAX_ROOT_FIELDS_EXCEEDED',
            expected.directives > 1 && 'MAX_DIRECTIVES_EXCEEDED',
          ].filter(Boolean),
        );
      }),
      { numRuns: 300 },
    );
  });

  it('count the tokens the text was written with, whatever whitespace, commas and comments lie between, and stop just past the limit', () => {
    checkProperty(
      fc.property(documents, noiseTape, fc.nat({ max: 200 }), (document, tape, max) => {
        const { text, tokens } = write(document, noiseFrom(tape));
        expect(countTokens(text)).toBe(tokens);
        expect(countTokens(text, max)).toBe(Math.min(tokens, max + 1));
      }),
      { numRuns: 300 },
    );
  });
});
