import type { RecordedEvent } from '../../shared/event-store/contract.js';
import type { StockLevelRow } from '../read-models/rows.js';

/**
 * A stock level folded from its stream up to an earlier instant. Its identity carries the stream
 * version, so a client cache never mistakes it for the present level.
 */
export type PastStockLevel = StockLevelRow & { readonly past: true };

/** A StockLevel as its resolvers see it: the present row, or a {@link PastStockLevel}. */
export type StockLevelView = StockLevelRow & { readonly past?: true };

/** Marks a time-travelled stock level (null stays null). */
export const asPastStockLevel = (level: StockLevelRow | null): PastStockLevel | null => (level === null ? null : { ...level, past: true });

/**
 * `<productId>:<storeId>` for the present level, `<productId>:<storeId>@<version>` for a past one.
 * Inventory ids never contain ':', so the two parts cannot be confused.
 */
export function stockLevelId(level: StockLevelView): string {
  const present = `${level.productId}:${level.storeId}`;
  return level.past ? `${present}@${level.version}` : present;
}

/** `<streamId>@<version>`: unique per event, and the same every time the event is read. */
export const eventId = (event: Pick<RecordedEvent, 'streamId' | 'version'>): string => `${event.streamId}@${event.version}`;
