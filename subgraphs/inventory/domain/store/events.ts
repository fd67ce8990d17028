import type { DomainEvent } from '../../../shared/decider/decider.js';

/** A store opened. `name` and `location` are trimmed; a blank location is null. */
export type StoreRegistered = DomainEvent<
  'StoreRegistered',
  {
    readonly storeId: string;
    readonly name: string;
    readonly location: string | null;
  }
>;

/** Every event of a store stream. */
export type StoreEvent = StoreRegistered;
