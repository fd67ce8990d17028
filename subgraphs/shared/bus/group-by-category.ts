import { streamCategory, type RecordedEvent } from '../event-store/contract.js';

/** Splits a batch by stream category, keeping log order inside each group. */
export function groupByCategory(events: readonly RecordedEvent[]): Map<string, RecordedEvent[]> {
  const groups = new Map<string, RecordedEvent[]>();
  for (const event of events) {
    const category = streamCategory(event.streamId);
    const group = groups.get(category);
    if (group) group.push(event);
    else groups.set(category, [event]);
  }
  return groups;
}
