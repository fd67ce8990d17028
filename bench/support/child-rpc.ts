/**
 * Request/response over the IPC channel of a forked child process, for benchmarks that keep the
 * process they measure (router, gateway, clients) apart from the one driving the load.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

interface Request {
  readonly id: number;
  readonly method: string;
  readonly params: unknown;
}
interface Response {
  readonly id: number;
  readonly result?: unknown;
  readonly error?: string;
}
interface Event {
  readonly event: string;
  readonly data: unknown;
}

/** A wall clock with sub-millisecond resolution, comparable across processes once calibrated. */
export const wallNow = (): number => performance.timeOrigin + performance.now();

export interface ChildHandle {
  readonly pid: number;
  call<T = unknown>(method: string, params?: unknown, timeoutMs?: number): Promise<T>;
  onEvent(handler: (event: string, data: unknown) => void): void;
  /** Asks the child to exit (so --cpu-prof can write its profile) and waits for it. */
  stop(): Promise<void>;
}

/**
 * Forks `script` (a .ts file, run through tsx) with extra node flags, e.g. `--expose-gc`,
 * `--cpu-prof`.
 */
export function forkChild(script: string | URL, nodeFlags: readonly string[] = [], env: NodeJS.ProcessEnv = process.env): ChildHandle {
  const path = script instanceof URL ? fileURLToPath(script) : script;
  const child: ChildProcess = fork(path, [], {
    // tsx resolved from here, so the child works whatever the working directory.
    execArgv: ['--import', import.meta.resolve('tsx'), ...nodeFlags],
    env,
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  let nextId = 1;
  const pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void; timer: NodeJS.Timeout }>();
  const handlers: Array<(event: string, data: unknown) => void> = [];
  let exited = false;
  const exit = new Promise<void>((resolve) => {
    child.once('exit', (code, signal) => {
      exited = true;
      for (const { reject, timer } of pending.values()) {
        clearTimeout(timer);
        reject(new Error(`child ${path} exited (code ${code}, signal ${signal})`));
      }
      pending.clear();
      resolve();
    });
  });
  child.on('message', (message: Response | Event) => {
    if ('event' in message) {
      for (const handler of handlers) handler(message.event, message.data);
      return;
    }
    const waiter = pending.get(message.id);
    if (!waiter) return;
    pending.delete(message.id);
    clearTimeout(waiter.timer);
    if (message.error !== undefined) waiter.reject(new Error(message.error));
    else waiter.resolve(message.result);
  });
  return {
    pid: child.pid ?? -1,
    call: <T>(method: string, params?: unknown, timeoutMs = 120_000) =>
      new Promise<T>((resolve, reject) => {
        if (exited) return reject(new Error(`child ${path} has exited`));
        const id = nextId++;
        const timer = setTimeout(() => {
          pending.delete(id);
          reject(new Error(`child call ${method} timed out after ${timeoutMs} ms`));
        }, timeoutMs);
        pending.set(id, { resolve: resolve as (value: unknown) => void, reject, timer });
        child.send({ id, method, params } satisfies Request);
      }),
    onEvent: (handler) => void handlers.push(handler),
    stop: async () => {
      if (exited) return;
      child.send({ id: 0, method: '__exit', params: null } satisfies Request);
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exit;
      clearTimeout(timer);
    },
  };
}

/** Child side: answers the parent's calls; `emit` sends unsolicited events. */
export function serveParent(
  // Each handler reads its own parameters' shape; the IPC message only carries JSON.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- parameters differ per handler
  handlers: Record<string, (params: any) => unknown>,
  onExit: () => Promise<void> = async () => undefined,
): { emit(event: string, data: unknown): void } {
  if (!process.send) throw new Error('this script must be forked with an IPC channel');
  const send = (message: Response | Event) => process.send!(message);
  process.on('message', (message: Request) => {
    if (message.method === '__exit') {
      void onExit()
        .catch((error: unknown) => console.error(error))
        .finally(() => process.exit(0));
      return;
    }
    const handler = handlers[message.method];
    if (!handler) return send({ id: message.id, error: `unknown method ${message.method}` });
    Promise.resolve()
      .then(() => handler(message.params))
      .then(
        (result) => send({ id: message.id, result: result ?? null }),
        (error: unknown) => send({ id: message.id, error: error instanceof Error ? (error.stack ?? error.message) : String(error) }),
      );
  });
  // The parent died: do not linger.
  process.on('disconnect', () => process.exit(0));
  return { emit: (event, data) => send({ event, data }) };
}

/**
 * Offset of the child's `wallNow()` against ours (child − parent), from the ping with the
 * shortest round trip; the true offset is within ± rttMs / 2 of the estimate.
 */
export async function calibrateClock(child: ChildHandle, pings = 50): Promise<{ offsetMs: number; rttMs: number }> {
  let best = { offsetMs: 0, rttMs: Number.POSITIVE_INFINITY };
  for (let index = 0; index < pings; index += 1) {
    const sent = wallNow();
    const childNow = await child.call<number>('now');
    const received = wallNow();
    const rtt = received - sent;
    if (rtt < best.rttMs) best = { offsetMs: childNow - (sent + received) / 2, rttMs: rtt };
  }
  return best;
}
