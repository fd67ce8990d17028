import type { RecordedEvent } from '../event-store/contract.js';
import type { BusHandler, EventBus } from './contract.js';
import { groupByCategory } from './group-by-category.js';

/** The bus of a single process (no REDIS_URL): same contract as the Redis bus. */
export class InMemoryBus implements EventBus {
  private readonly handlers = new Map<string, Set<BusHandler>>();

  async publish(events: readonly RecordedEvent[]): Promise<void> {
    for (const [category, group] of groupByCategory(events)) {
      const handlers = this.handlers.get(category);
      if (!handlers) continue;
      for (const event of group) for (const handler of handlers) handler(event);
    }
  }

  async subscribe(category: string, handler: BusHandler): Promise<() => Promise<void>> {
    let handlers = this.handlers.get(category);
    if (!handlers) {
      handlers = new Set();
      this.handlers.set(category, handlers);
    }
    // Wrap so the same function may subscribe twice and unsubscribe each independently.
    const entry: BusHandler = (event) => handler(event);
    handlers.add(entry);
    return async () => {
      handlers.delete(entry);
    };
  }

  async close(): Promise<void> {
    this.handlers.clear();
  }
}
