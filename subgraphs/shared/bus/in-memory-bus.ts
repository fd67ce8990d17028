import type { BusHandler, EventBus } from './contract.js';
import { decodeEvents, type EncodedRun } from './serialization.js';

/** The bus of a single process (no REDIS_URL): same contract as the Redis bus. */
export class InMemoryBus implements EventBus {
  private readonly handlers = new Map<string, Set<BusHandler>>();

  async publish(runs: readonly EncodedRun[]): Promise<void> {
    for (const run of runs) {
      const handlers = this.handlers.get(run.category);
      if (!handlers || handlers.size === 0) continue;
      // Decoded as the Redis bus decodes a message: subscribers get the same objects either way.
      for (const event of decodeEvents(run.json)) for (const handler of handlers) handler(event);
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
