import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { Redis } from 'ioredis';
import { backend } from '../support/environment.js';
import { pollUntil } from '../support/waiting.js';

const run = promisify(execFile);

/** True when a Redis server answers PING at `url` (one attempt, no retries). */
export async function redisAnswers(url: string): Promise<boolean> {
  const client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  // A refused connection is the answer here, not an error to report.
  client.on('error', () => undefined);
  try {
    await client.connect();
    return (await client.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    client.disconnect();
  }
}

const answers = (port: number) => redisAnswers(`redis://127.0.0.1:${port}`);

/** A Redis for the rate-limit tests, and how to let it go. */
export interface TestRedis {
  readonly url: string;
  stop(): Promise<void>;
}

/**
 * The suite's Redis (REDIS_URL) when it runs on real services; on the embedded backends, a
 * throwaway redis-server of this test file on a port of its own, shut down at the end. Either
 * way the Redis limiter is tested against a real server; tests keep apart by key prefix.
 */
export async function testRedis(): Promise<TestRedis> {
  if (backend.redisUrl) return { url: backend.redisUrl, stop: async () => undefined };
  let port = 0;
  for (let attempt = 0; attempt < 20 && port === 0; attempt += 1) {
    const candidate = 16_390 + Math.floor(Math.random() * 2_000);
    if (!(await answers(candidate))) port = candidate;
  }
  if (port === 0) throw new Error('no free port for a throwaway redis-server');
  await run('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--daemonize', 'yes']);
  await pollUntil(() => answers(port), `redis-server on port ${port}`, 30_000);
  return {
    url: `redis://127.0.0.1:${port}`,
    stop: async () => {
      await run('redis-cli', ['-p', String(port), 'shutdown', 'nosave']).catch(() => undefined);
    },
  };
}
