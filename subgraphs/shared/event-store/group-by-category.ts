import { streamCategory } from './contract.js';

/**
 * Splits a batch into runs of consecutive events of one stream category, in log order (the runs of
 * an `EncodedLogPage`). Publishing the runs in this order keeps the global log order for a subscriber of several categories (Redis
 * delivers the messages of one connection in order); grouping all events of a category together
 * would reorder them across categories, and a consumer that deduplicates by log order would drop
 * the events that arrive "late".
 */
export function groupByCategory<Event extends { readonly streamId: string }>(events: readonly Event[]): Array<[category: string, events: Event[]]> {
  const runs: Array<[string, Event[]]> = [];
  let current: [string, Event[]] | undefined;
  for (const event of events) {
    const category = streamCategory(event.streamId);
    if (current && current[0] === category) current[1].push(event);
    else {
      current = [category, [event]];
      runs.push(current);
    }
  }
  return runs;
}
