import DataLoader from 'dataloader';

/** A key of a {@link joinableLoader}: what to read, and whether this caller needs the joined read. */
export interface JoinableKey<Key> {
  readonly key: Key;
  readonly joined: boolean;
}

/**
 * A per-request loader whose callers may each ask for a richer, joined read of the same rows (stock
 * levels with their stores, entries with their latest assessments). One batch runs one statement:
 * the joined one when any of its keys asked for it, which then answers the plain keys as well, so
 * a request that shows the joined part in one place and not in another still reads the rows once.
 * `load(keys, joined)` answers each distinct key, in order.
 */
export function joinableLoader<Key, Value>(
  load: (keys: readonly Key[], joined: boolean) => Promise<readonly Value[]>,
  cacheKeyOf: (key: Key) => string,
): DataLoader<JoinableKey<Key>, Value, string> {
  return new DataLoader<JoinableKey<Key>, Value, string>(
    async (requests) => {
      const joined = requests.some((request) => request.joined);
      const distinct = new Map<string, Key>();
      for (const { key } of requests) distinct.set(cacheKeyOf(key), key);
      const values = await load([...distinct.values()], joined);
      const byKey = new Map([...distinct.keys()].map((key, index) => [key, values[index]!]));
      return requests.map(({ key }) => byKey.get(cacheKeyOf(key))!);
    },
    { cacheKeyFn: ({ key, joined }) => `${joined ? 'joined' : 'plain'}\u0000${cacheKeyOf(key)}` },
  );
}
