/** Told the size of every append of this process (metrics). */
export type AppendObserver = (events: number) => void;

const observers = new Set<AppendObserver>();

/** Starts telling `observer` of every append; returns the function that stops it. */
export function observeAppends(observer: AppendObserver): () => void {
  observers.add(observer);
  return () => observers.delete(observer);
}

/** Called by the event store after each append. */
export function appendedEvents(events: number): void {
  for (const observer of observers) observer(events);
}
