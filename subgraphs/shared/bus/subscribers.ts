/** The handlers of each stream category, for one kind of message. */
export class Subscribers<Handler extends (message: never) => void> {
  private readonly byCategory = new Map<string, Set<Handler>>();

  /** The handlers of `category`; undefined when it has none. */
  of(category: string): ReadonlySet<Handler> | undefined {
    return this.byCategory.get(category);
  }

  /** True when no category has a handler. */
  get empty(): boolean {
    return this.byCategory.size === 0;
  }

  /**
   * Adds a handler (wrapped, so one function may subscribe twice and leave each independently).
   * `first` tells whether the category had none before; `remove` whether it has none left.
   */
  add(category: string, handler: Handler): { first: boolean; remove: () => boolean } {
    let handlers = this.byCategory.get(category);
    const first = !handlers;
    if (!handlers) {
      handlers = new Set();
      this.byCategory.set(category, handlers);
    }
    const entry = ((message: never) => handler(message)) as Handler;
    handlers.add(entry);
    const own = handlers;
    return {
      first,
      remove: () => {
        own.delete(entry);
        if (own.size > 0 || this.byCategory.get(category) !== own) return false;
        this.byCategory.delete(category);
        return true;
      },
    };
  }

  clear(): void {
    this.byCategory.clear();
  }
}
