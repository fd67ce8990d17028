/** The handlers of each stream category, for one kind of message, and who wants to hear of gaps. */
export class Subscribers<Handler extends (message: never) => void> {
  private readonly byCategory = new Map<string, Set<Handler>>();
  private readonly gapHandlers = new Set<() => void>();

  /** The handlers of `category`; undefined when it has none. */
  of(category: string): ReadonlySet<Handler> | undefined {
    return this.byCategory.get(category);
  }

  /** True when no category has a handler. */
  get empty(): boolean {
    return this.byCategory.size === 0;
  }

  /**
   * Adds a handler (wrapped, so one function may subscribe twice and leave each independently),
   * and `onGap` if given. `first` tells whether the category had none before; `remove` whether
   * it has none left.
   */
  add(category: string, handler: Handler, onGap?: () => void): { first: boolean; remove: () => boolean } {
    let handlers = this.byCategory.get(category);
    const first = !handlers;
    if (!handlers) {
      handlers = new Set();
      this.byCategory.set(category, handlers);
    }
    const entry = ((message: never) => handler(message)) as Handler;
    handlers.add(entry);
    const gap = onGap && (() => onGap());
    if (gap) this.gapHandlers.add(gap);
    const own = handlers;
    return {
      first,
      remove: () => {
        if (gap) this.gapHandlers.delete(gap);
        own.delete(entry);
        if (own.size > 0 || this.byCategory.get(category) !== own) return false;
        this.byCategory.delete(category);
        return true;
      },
    };
  }

  /** Tells every subscription that asked that it may have missed messages. */
  signalGap(): void {
    for (const handler of [...this.gapHandlers]) handler();
  }

  clear(): void {
    this.byCategory.clear();
    this.gapHandlers.clear();
  }
}
