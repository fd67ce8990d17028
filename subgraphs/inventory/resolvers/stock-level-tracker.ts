import type { EventStore, RecordedEvent } from '../../shared/event-store/contract.js';
import { foldStream } from '../../shared/projections/stream-projection.js';
import { evolveStockProjection, stockProjection, type StockProjectionState } from '../projections/index.js';
import type { StockLevelRow } from '../read-models/rows.js';

/**
 * Keeps the stock projection of the streams a subscription follows, so each streamed item is the
 * stock level exactly as of that event (also during replay), not whatever the table holds now.
 * A version gap (a missed bus message) refolds the stream from the store.
 */
export class StockLevelTracker {
  private readonly streams = new Map<string, StockProjectionState>();

  constructor(private readonly store: EventStore) {}

  /** The level before and after `event`. */
  async apply(event: RecordedEvent): Promise<{ before: StockLevelRow | undefined; after: StockLevelRow }> {
    let current = this.streams.get(event.streamId);
    const currentVersion = current?.level?.version ?? 0;
    if (!current || currentVersion !== event.version - 1) {
      const history = await this.store.readStream(event.streamId);
      current = foldStream(
        stockProjection,
        history.filter((recorded) => recorded.version < event.version),
      );
    }
    const next = evolveStockProjection(current, event);
    this.streams.set(event.streamId, next);
    return { before: current.level, after: next.level! };
  }
}
