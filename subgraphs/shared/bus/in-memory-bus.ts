import { streamCategory } from '../event-store/contract.js';
import type { BusHandler, CommitNotice, CommitNoticeChannel, EventBus, NoticeHandler, SubscribeOptions } from './contract.js';
import { decodeEvents, type EncodedRun } from './serialization.js';
import { Subscribers } from './subscribers.js';

/** The bus of a single process (no REDIS_URL): same contract as the Redis bus. */
export class InMemoryBus implements EventBus, CommitNoticeChannel {
  private readonly events = new Subscribers<BusHandler>();
  private readonly notices = new Subscribers<NoticeHandler>();
  /** Drills under way (see interruptSubscriptions). */
  private interruptions = 0;

  async publish(runs: readonly EncodedRun[]): Promise<void> {
    // Lost, as a Redis subscriber connection that went away loses them (see interruptSubscriptions).
    if (this.interruptions > 0) return;
    for (const run of runs) {
      const handlers = this.events.of(run.category);
      if (!handlers || handlers.size === 0) continue;
      // Decoded as the Redis bus decodes a message: subscribers get the same objects either way.
      for (const event of decodeEvents(run.json)) for (const handler of handlers) handler(event);
    }
  }

  async subscribe(category: string, handler: BusHandler, options: SubscribeOptions = {}): Promise<() => Promise<void>> {
    const { remove } = this.events.add(category, handler, options.onGap);
    return async () => void remove();
  }

  /**
   * Failure drill: behaves as a Redis bus whose subscriber connection was killed. Events published
   * from now on are dropped, until the returned function is called: then every subscription is
   * told it may have missed some (`onGap`), as when a Redis subscriber has subscribed again.
   */
  interruptSubscriptions(): () => void {
    this.interruptions += 1;
    let resumed = false;
    return () => {
      if (resumed) return;
      resumed = true;
      this.interruptions -= 1;
      this.events.signalGap();
    };
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
