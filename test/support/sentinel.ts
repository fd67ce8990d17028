import { pollUntil } from './waiting.js';

/**
 * Proves an absence without a fixed sleep. `cause` makes a sentinel that must arrive after
 * anything still in flight (a later event on the same ordered stream, a message on the same
 * socket, the next operation on the same connection); once it has arrived, whatever was going to
 * arrive before it has. Returns what `received` held before the sentinel, for the caller to
 * assert that nothing unexpected is among it.
 *
 * `received` is the live list a consumer appends to; `isSentinel` recognises the sentinel.
 */
export async function untilSentinel<T>(
  received: readonly T[],
  cause: () => unknown,
  isSentinel: (item: T) => boolean,
  { timeoutMs = 30_000, what = 'the sentinel' }: { timeoutMs?: number; what?: string } = {},
): Promise<T[]> {
  await cause();
  let index = -1;
  await pollUntil(() => (index = received.findIndex(isSentinel)) >= 0, what, timeoutMs);
  return received.slice(0, index);
}
