import type { CommitNoticeChannel, EventBus } from './contract.js';
import { InMemoryBus } from './in-memory-bus.js';
import { RedisBus } from './redis-bus.js';

export type { BusHandler, CommitNotice, CommitNoticeChannel, EventBus, NoticeHandler, SubscribeOptions } from './contract.js';
export { InMemoryBus } from './in-memory-bus.js';
export { RedisBus } from './redis-bus.js';
export { decodeEvents, encodeRuns, type EncodedRun } from './serialization.js';

/** Redis when a URL is configured, otherwise the in-process bus. */
export function createBus(options: { redisUrl?: string; prefix?: string; onError?: (error: Error) => void }): EventBus & CommitNoticeChannel {
  if (!options.redisUrl) return new InMemoryBus();
  return new RedisBus({
    url: options.redisUrl,
    ...(options.prefix ? { prefix: options.prefix } : {}),
    ...(options.onError ? { onError: options.onError } : {}),
  });
}
