import type { EventStore, RecordedEvent } from '../../shared/event-store/contract.js';
import { foldStream } from '../../shared/projections/stream-projection.js';
import type { SnapshotStore } from '../../shared/snapshots/contract.js';
import { stockSnapshots, type StockEvent, type StockState } from '../domain/index.js';
import { evolveStockProjection, seedStockProjection, stockProjection, type StockProjectionState } from '../projections/index.js';
import type { StockLevelRow } from '../read-models/rows.js';

/**
 * Keeps the stock projection of the streams a subscription follows, so each streamed item is the
 * stock level exactly as of that event (also during replay), not whatever the table holds now.
 * The first event of a stream, or a version gap (a missed bus message), folds the stream from the
 * store: from its snapshot on when the snapshot is older than the event, else from the start.
 */
export class StockLevelTracker {
  private readonly streams = new Map<string, StockProjectionState>();

  constructor(
    private readonly store: EventStore<StockEvent>,
    private readonly snapshots: SnapshotStore,
  ) {}

  /** The level before and after `event`. */
  async apply(event: RecordedEvent<StockEvent>): Promise<{ before: StockLevelRow | undefined; after: StockLevelRow }> {
    let current = this.streams.get(event.streamId);
    const currentVersion = current?.level?.version ?? 0;
    if (!current || currentVersion !== event.version - 1) current = await this.projectionBefore(event);
    const next = evolveStockProjection(current, event);
    this.streams.set(event.streamId, next);
    return { before: current.level, after: next.level! };
  }

  /** The stream's projection (its level; reservations are not streamed) as of the event before `event`. */
  private async projectionBefore(event: RecordedEvent<StockEvent>): Promise<StockProjectionState> {
    const earlier = (recorded: RecordedEvent) => recorded.version < event.version;
    const snapshot = await this.snapshots.read<StockState>(event.streamId, stockSnapshots.revision);
    if (snapshot && snapshot.version < event.version) {
      // From the snapshot's own event on: its position and time stamp the level the snapshot leaves.
      const [own, ...rest] = await this.store.readStream(event.streamId, { afterVersion: snapshot.version - 1 });
      if (own?.version === snapshot.version) {
        let projected = seedStockProjection(snapshot.state, own);
        for (const recorded of rest) if (earlier(recorded)) projected = evolveStockProjection(projected, recorded);
        return projected;
      }
    }
    return foldStream(stockProjection, (await this.store.readStream(event.streamId)).filter(earlier));
  }
}
