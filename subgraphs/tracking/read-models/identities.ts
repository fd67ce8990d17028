import type { RecordedEvent } from '../../shared/event-store/contract.js';
import type { StatsView } from './rows.js';

/**
 * The identity of a counter view, for client caches: `<scope>:<subjectId>` for a subject's totals
 * (`campaign:c1`), with `:<key>` for a breakdown entry or an hourly bucket (`campaign:c1:inf-7`).
 * The subject id is URI-encoded (tracking ids may contain ':'), so the parts cannot be confused.
 */
export function statsId(view: Pick<StatsView, 'scope' | 'subjectId' | 'key'>): string {
  const subject = `${view.scope}:${encodeURIComponent(view.subjectId)}`;
  return view.key === '' ? subject : `${subject}:${view.key}`;
}

/** `<streamId>@<version>`: unique per event, and the same every time the event is read. */
export const eventId = (event: Pick<RecordedEvent, 'streamId' | 'version'>): string => `${event.streamId}@${event.version}`;
