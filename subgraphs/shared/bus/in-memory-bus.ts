import { streamCategory } from '../event-store/contract.js';
import type { BusHandler, CommitNotice, CommitNoticeChannel, EventBus, NoticeHandler } from './contract.js';
import { decodeEvents, type EncodedRun } from './serialization.js';
import { Subscribers } from './subscribers.js';

/** The bus of a single process (no REDIS_URL): same contract as the Redis bus. */
export class InMemoryBus implements EventBus, CommitNoticeChannel {
  private readonly events = new Subscribers<BusHandler>();
  private readonly notices = new Subscribers<NoticeHandler>();

  async publish(runs: readonly EncodedRun[]): Promise<void> {
    for (const run of runs) {
      const handlers = this.events.of(run.category);
      if (!handlers || handlers.size === 0) continue;
      // Decoded as the Redis bus decodes a message: subscribers get the same objects either way.
      for (const event of decodeEvents(run.json)) for (const handler of handlers) handler(event);
    }
  }

  async subscribe(category: string, handler: BusHandler): Promise<() => Promise<void>> {
    const { remove } = this.events.add(category, handler);
    return async () => void remove();
  }

  async announce(notices: readonly CommitNotice[]): Promise<void> {
    for (const notice of notices) {
      for (const handler of this.notices.of(streamCategory(notice.streamId)) ?? []) handler(notice);
    }
  }

  async subscribeNotices(category: string, handler: NoticeHandler): Promise<() => Promise<void>> {
    const { remove } = this.notices.add(category, handler);
    return async () => void remove();
  }

  async close(): Promise<void> {
    this.events.clear();
    this.notices.clear();
  }
}
