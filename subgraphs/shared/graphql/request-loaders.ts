/** What {@link requestLoaders} needs of a loader: a DataLoader, whatever its key and value types. */
export interface ClearableLoader {
  clearAll(): unknown;
}

/** A subgraph's per-request loaders, and the one way to forget what they cached. */
export type RequestLoaders<Loaders extends Record<string, ClearableLoader>> = Loaders & {
  /**
   * Empties every loader's cache. Called after a command (its payload must show what committed,
   * not rows cached before it) and before each item of a subscription (graphql-ws keeps one
   * context per subscription, so a streamed item would otherwise get rows cached for an earlier one).
   */
  readonly clearAll: () => void;
};

/**
 * The loaders of one request, with {@link RequestLoaders.clearAll}. Every subgraph's
 * `createXLoaders()` returns this, so every call site resets them the same way:
 * `ctx.loaders.clearAll()`.
 */
export function requestLoaders<Loaders extends Record<string, ClearableLoader>>(loaders: Loaders): RequestLoaders<Loaders> {
  const all = Object.values(loaders);
  return {
    ...loaders,
    clearAll: () => {
      for (const loader of all) loader.clearAll();
    },
  };
}

/**
 * The `resolve` of every subscription field: each streamed item is resolved with emptied loaders
 * (see {@link RequestLoaders.clearAll}). Items of one subscription are resolved one after the
 * other, so nothing of an earlier item is still loading.
 */
export const freshItem = <Item>(item: Item, _args: unknown, ctx: { readonly loaders: { clearAll(): void } }): Item => {
  ctx.loaders.clearAll();
  return item;
};
