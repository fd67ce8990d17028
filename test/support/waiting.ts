import { randomUUID } from 'node:crypto';

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `condition` every 10 ms until it holds; fails naming `message` after `timeoutMs`. */
export async function pollUntil(condition: () => boolean | Promise<boolean>, message: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${message}`);
    await sleep(10);
  }
}

/** A short id no other test uses (no ':' or '-', which stream names use). */
export const uid = (prefix: string): string => `${prefix}_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
