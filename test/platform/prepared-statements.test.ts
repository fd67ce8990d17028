import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PostgresClient } from '../../subgraphs/shared/database/postgres.js';
import { PreparedStatementNames } from '../../subgraphs/shared/database/prepared-statement-names.js';
import { createTestDatabase, type TestDatabase } from '../support/environment.js';

describe('prepared statement names', () => {
  it('gives one text one name, and leaves statements not marked prepared unnamed', () => {
    const names = new PreparedStatementNames();
    const first = names.statement('select $1::int', [1], { prepared: true });
    const again = names.statement('select $1::int', [2], { prepared: true });
    const other = names.statement('select $1::text', ['a'], { prepared: true });
    expect(first).toEqual({ name: 'tributary_1', text: 'select $1::int', values: [1] });
    expect(again.name).toBe('tributary_1');
    expect(other.name).toBe('tributary_2');
    expect(names.statement('select $1::int', [3], undefined)).toEqual({ text: 'select $1::int', values: [3] });
    expect(names.statement('select $1::int', [3], {})).not.toHaveProperty('name');
  });

  it('runs texts unnamed once a thousand are named, so texts that vary cannot grow every connection without end', () => {
    const names = new PreparedStatementNames();
    for (let index = 0; index < 1_000; index += 1) expect(names.statement(`select ${index}`, [], { prepared: true }).name).toBe(`tributary_${index + 1}`);
    expect(names.statement('select 1000', [], { prepared: true })).not.toHaveProperty('name');
    // The texts named before keep their names.
    expect(names.statement('select 7', [], { prepared: true }).name).toBe('tributary_8');
  });
});

describe('the typed layer on a database', () => {
  let database: TestDatabase;

  beforeAll(async () => {
    // One connection, so the statements below all run on the one whose prepared statements are read.
    database = await createTestDatabase({ maxConnections: 1 });
  });

  afterAll(async () => {
    await database?.drop();
  });

  it('keeps its statements prepared on a PostgreSQL connection and answers them alike every time', async () => {
    const { kysely, sql } = database.database;
    await sql.query(`INSERT INTO stores (id, name, version, created_at, updated_at) VALUES ('s1', 'One', 1, now(), now()), ('s2', 'Two', 1, now(), now())`);
    const byIds = (ids: string[]) =>
      kysely
        .selectFrom('stores')
        .select(['id', 'name'])
        .where('id', '=', (eb) => eb.fn.any(eb.val(ids)))
        .orderBy('id')
        .execute();
    // More runs than PostgreSQL's five custom plans before it may settle on a generic one.
    for (let run = 0; run < 8; run += 1) {
      expect(await byIds(['s1', 's2'])).toEqual([
        { id: 's1', name: 'One' },
        { id: 's2', name: 'Two' },
      ]);
      expect(await byIds(['s2', 'missing'])).toEqual([{ id: 's2', name: 'Two' }]);
    }
    if (sql instanceof PostgresClient) {
      const prepared = await sql.query<{ name: string; statement: string; calls: string }>(
        `SELECT name, statement, (generic_plans + custom_plans)::text AS calls FROM pg_prepared_statements WHERE statement LIKE '%"stores"%'`,
      );
      expect(prepared).toHaveLength(1);
      expect(prepared[0]!.name).toMatch(/^tributary_\d+$/);
      expect(Number(prepared[0]!.calls)).toBe(16);
      // A statement written by hand, not marked, is not kept.
      const unmarked = await sql.query(`SELECT name FROM pg_prepared_statements WHERE statement LIKE 'INSERT INTO stores%'`);
      expect(unmarked).toEqual([]);
    }
  });
});
