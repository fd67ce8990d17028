import { Kind, parse, type FragmentDefinitionNode, type OperationDefinitionNode, type FieldNode } from 'graphql';
import { describe, expect, it } from 'vitest';
import { selects } from '../../subgraphs/shared/graphql/selection.js';

/** The resolve info of the first root field of `document`, as far as `selects` reads it. */
function infoOf(document: string) {
  const parsed = parse(document);
  const operation = parsed.definitions.find((definition): definition is OperationDefinitionNode => definition.kind === Kind.OPERATION_DEFINITION)!;
  const fragments = Object.fromEntries(
    parsed.definitions
      .filter((definition): definition is FragmentDefinitionNode => definition.kind === Kind.FRAGMENT_DEFINITION)
      .map((fragment) => [fragment.name.value, fragment]),
  );
  return { fieldNodes: [operation.selectionSet.selections[0] as FieldNode], fragments };
}

describe('selection lookahead', () => {
  it('finds a field at a path of plain selections, and not one that is absent', () => {
    const info = infoOf('{ products { edges { node { id totalAvailable } } } }');
    expect(selects(info, ['edges', 'node', 'totalAvailable'])).toBe(true);
    expect(selects(info, ['edges', 'node', 'stockLevels'])).toBe(false);
    expect(selects(info, ['edges', 'totalAvailable'])).toBe(false);
  });

  it('looks through aliases, inline fragments and fragment spreads', () => {
    const info = infoOf(`
      { products { edges { ... on ProductEdge { node { ...Shown } } } } }
      fragment Shown on Product { id ... { levels: stockLevels { available } } }`);
    expect(selects(info, ['edges', 'node', 'stockLevels'])).toBe(true);
    expect(selects(info, ['edges', 'node', 'levels'])).toBe(false);
  });

  it('counts a conditional field as selected, and stops on a fragment that spreads itself', () => {
    expect(selects(infoOf('query($x: Boolean!) { product { stockLevels @include(if: $x) { id } } }'), ['stockLevels'])).toBe(true);
    expect(selects(infoOf('{ product { ...Loop } } fragment Loop on Product { id ...Loop }'), ['stockLevels'])).toBe(false);
  });
});
