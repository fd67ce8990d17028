import { randomUUID } from 'node:crypto';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { expect } from 'vitest';
import type { BusHandler, EventBus } from '../../subgraphs/shared/bus/contract.js';
import { applyMigrations } from '../../subgraphs/shared/database/migrator.js';
import { PGliteClient } from '../../subgraphs/shared/database/pglite.js';
import type { Row, SqlClient, SqlSession } from '../../subgraphs/shared/database/sql.js';
import { DomainError, type ErrorCode } from '../../subgraphs/shared/errors/codes.js';
import { isAfter, type LogCursor, type RecordedEvent } from '../../subgraphs/shared/event-store/contract.js';
import { SqlEventStore } from '../../subgraphs/shared/event-store/sql-event-store.js';
import type { TestDatabase } from '../support/environment.js';

/** A stream category no other test (or earlier run on a shared database) uses: no dash inside. */
export function uniqueCategory(prefix = 'cat'): string {
  return `${prefix}${randomUUID().replace(/-/g, '').slice(0, 12)}`;
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `condition` until it holds; fails with `message` after `timeoutMs`. */
export async function waitFor(condition: () => boolean | Promise<boolean>, timeoutMs = 10_000, message = 'condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${message}`);
    await sleep(5);
  }
}

/** Awaits `promise`, expecting a DomainError with `code`; returns it. */
export async function rejectionOf(promise: Promise<unknown>, code: ErrorCode): Promise<DomainError> {
  let rejection: { readonly error: unknown } | undefined;
  try {
    await promise;
  } catch (error) {
    rejection = { error };
  }
  if (!rejection) throw new Error(`expected a DomainError ${code}, but the call succeeded`);
  const caught = rejection.error;
  if (!(caught instanceof DomainError)) throw caught;
  expect(caught.code).toBe(code);
  return caught;
}

/** Every element strictly after the previous one in (transactionId, position) order. */
export function expectLogOrder(events: readonly LogCursor[]): void {
  for (let index = 1; index < events.length; index += 1) {
    const previous = events[index - 1]!;
    const current = events[index]!;
    if (!isAfter(current, previous)) {
      throw new Error(`log order broken at ${index}: (${current.transactionId}, ${current.position}) after (${previous.transactionId}, ${previous.position})`);
    }
  }
}

/**
 * A bus consumer as the design prescribes: it deduplicates by global position (delivery is
 * at-least-once from the publisher, at-most-once from Redis), and keeps what it received raw too.
 */
export class PositionCollector {
  readonly raw: RecordedEvent[] = [];
  readonly unique: RecordedEvent[] = [];
  private readonly seen = new Set<string>();
  private readonly arrivals = new Map<string, number>();

  readonly handler: BusHandler = (event) => {
    this.raw.push(event);
    if (this.seen.has(event.position)) return;
    this.seen.add(event.position);
    this.unique.push(event);
    this.arrivals.set(event.position, performance.now());
  };

  has(position: string): boolean {
    return this.seen.has(position);
  }

  /** `performance.now()` when the position first arrived. */
  arrivedAt(position: string): number | undefined {
    return this.arrivals.get(position);
  }

  get duplicates(): number {
    return this.raw.length - this.unique.length;
  }

  positions(): string[] {
    return this.unique.map((event) => event.position);
  }

  async subscribe(bus: EventBus, category: string): Promise<() => Promise<void>> {
    return bus.subscribe(category, this.handler);
  }
}

/** A SqlClient bound to one node-postgres client that the test drives itself (BEGIN/COMMIT). */
export function clientOf(client: { query(text: string, params?: unknown[]): Promise<{ rows: unknown[] }> }): SqlClient {
  const sql: SqlSession = {
    async query<R extends Row = Row>(text: string, params: readonly unknown[] = []): Promise<R[]> {
      const result = await client.query(text, params as unknown[]);
      return result.rows as R[];
    },
    async exec(script: string): Promise<void> {
      await client.query(script);
    },
    async transaction<T>(work: (tx: SqlClient) => Promise<T>): Promise<T> {
      return work(sql);
    },
    // The test owns this one connection: it is its own session.
    async session<T>(work: (session: SqlSession) => Promise<T>): Promise<T> {
      return work(sql);
    },
  };
  return sql;
}

/**
 * Waits until readAll can see every committed event of this database: the oldest running
 * transaction of the whole cluster (transaction ids are cluster-wide, so suites running in other
 * databases count too) is newer than `atLeast`, by default newer than every stored event.
 */
export async function settle(sql: SqlClient, atLeast?: string): Promise<void> {
  const target = atLeast ?? (await sql.query<{ next: string }>('SELECT (coalesce(max(transaction_id), 0) + 1)::text AS next FROM events'))[0]!.next;
  await waitFor(
    async () => {
      const [row] = await sql.query<{ xmin: string }>('SELECT pg_snapshot_xmin(pg_current_snapshot())::text AS xmin');
      return BigInt(row!.xmin) >= BigInt(target);
    },
    30_000,
    'the log to settle',
  );
}

/**
 * A transaction that takes its id first (with a write) and commits last, while others commit.
 * PostgreSQL: a second connection driven by hand. PGlite has a single session, so there the old
 * transaction is a prepared one (PREPARE TRANSACTION keeps it running, with its id, while the
 * session moves on) in a PGlite of its own started with max_prepared_transactions.
 */
export interface SlowTransaction {
  /** Appends inside the slow transaction (after begin()). */
  readonly store: SqlEventStore;
  /** The store everyone else appends and reads through, and its client. */
  readonly others: SqlEventStore;
  readonly othersSql: SqlClient;
  begin(): Promise<void>;
  /** Lets the session go on while the transaction stays open (PGlite; nothing to do on PostgreSQL). */
  detach(): Promise<void>;
  commit(): Promise<void>;
  close(): Promise<void>;
}

export async function openSlowTransaction(testDb: TestDatabase): Promise<SlowTransaction> {
  if (testDb.url) {
    const client = new pg.Client({ connectionString: testDb.url });
    await client.connect();
    return {
      store: new SqlEventStore(clientOf(client)),
      others: new SqlEventStore(testDb.database.sql),
      othersSql: testDb.database.sql,
      begin: async () => {
        await client.query('BEGIN');
      },
      detach: async () => undefined,
      commit: async () => {
        await client.query('COMMIT');
      },
      close: () => client.end(),
    };
  }
  const db = await PGlite.create({ startParams: [...PGlite.defaultStartParams, '-c', 'max_prepared_transactions=2'] });
  const client = new PGliteClient(db);
  await applyMigrations(client);
  return {
    store: new SqlEventStore(client),
    others: new SqlEventStore(client),
    othersSql: client,
    begin: () => client.exec('BEGIN'),
    detach: () => client.exec(`PREPARE TRANSACTION 'slow'`),
    commit: () => client.exec(`COMMIT PREPARED 'slow'`),
    close: () => db.close(),
  };
}

/**
 * Setup and teardown may create a PGlite database (its initdb takes many seconds on a busy
 * machine) or a PostgreSQL database; allow more than vitest's default.
 */
export const HOOK_TIMEOUT_MS = 180_000;
