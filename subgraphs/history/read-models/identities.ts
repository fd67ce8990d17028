import type { RecordedEvent } from '../../shared/event-store/contract.js';
import type { EntryVersionRow } from './rows.js';

/**
 * `<entryId>@<version>`: a content version's own identity, apart from the entry's, so a client
 * cache never overwrites the current entry with an older version. The version is the part after
 * the last '@', so an entry id containing '@' is no ambiguity.
 */
export const entryVersionId = (version: Pick<EntryVersionRow, 'entryId' | 'version'>): string => `${version.entryId}@${version.version}`;

/** `<streamId>@<version>`: unique per event, and the same every time the event is read. */
export const eventId = (event: Pick<RecordedEvent, 'streamId' | 'version'>): string => `${event.streamId}@${event.version}`;
