import { describe, expect, it } from 'vitest';
import { joinableLoader } from '../../subgraphs/shared/graphql/joinable-loader.js';

/** A loader that records each batch it was asked for. */
function recorded() {
  const batches: Array<{ keys: readonly string[]; joined: boolean }> = [];
  const loader = joinableLoader<string, string>(
    async (keys, joined) => {
      batches.push({ keys, joined });
      return keys.map((key) => (joined ? `${key}+joined` : key));
    },
    (key) => key,
  );
  return { loader, batches };
}

describe('joinable loader', () => {
  it('reads plain keys with the plain read', async () => {
    const { loader, batches } = recorded();
    expect(await Promise.all([loader.load({ key: 'a', joined: false }), loader.load({ key: 'b', joined: false })])).toEqual(['a', 'b']);
    expect(batches).toEqual([{ keys: ['a', 'b'], joined: false }]);
  });

  it('answers a batch that mixes plain and joined keys with one joined read of each distinct key', async () => {
    const { loader, batches } = recorded();
    const values = await Promise.all([
      loader.load({ key: 'a', joined: false }),
      loader.load({ key: 'a', joined: true }),
      loader.load({ key: 'b', joined: false }),
    ]);
    expect(values).toEqual(['a+joined', 'a+joined', 'b+joined']);
    expect(batches).toEqual([{ keys: ['a', 'b'], joined: true }]);
  });
});
