import { sql, type InsertQueryBuilder, type InsertResult, type OnConflictDatabase, type OnConflictTables, type QueryCreator, type UpdateObject } from 'kysely';
import { columnTypes } from '../../../../generated/kysely/column-types.js';
import { unnestRows, type ColumnName, type ColumnValues } from './arrays.js';
import type { TableName, Tables } from './database.js';

/** Every column of a table, in schema.prisma's order. */
export function columnsOf<Table extends TableName>(table: Table): ColumnName<Table>[] {
  return Object.keys(columnTypes[table]) as ColumnName<Table>[];
}

/** Every column of a table but `except`, in schema.prisma's order. */
export function columnsExcept<Table extends TableName>(table: Table, except: readonly ColumnName<Table>[]): ColumnName<Table>[] {
  return columnsOf(table).filter((column) => !except.includes(column));
}

/**
 * `INSERT INTO <table> (<every column>) SELECT * FROM unnest(…)`: any number of rows in one
 * statement of one array parameter per column. A column added to schema.prisma is written
 * without touching the call (its rows' type then asks for its value).
 */
export function insertRows<Table extends TableName>(
  kysely: QueryCreator<Tables>,
  table: Table,
  rows: readonly ColumnValues<Table, ColumnName<Table>>[],
): InsertQueryBuilder<Tables, Table, InsertResult> {
  const columns = columnsOf(table);
  // Kysely cannot relate a generic table's column names to its own column types: the names and
  // values are checked above, against the table's generated types.
  return kysely
    .insertInto(table)
    .columns(columns)
    .expression(sql`SELECT * FROM ${unnestRows(table, columns, rows)}`);
}

type ExcludedSet<Table extends TableName> = UpdateObject<OnConflictDatabase<Tables, Table>, OnConflictTables<Table>, OnConflictTables<Table>>;

/** SET lists made, by table and columns: a list of references is immutable, so one serves every upsert. */
const excludedSets = new Map<string, unknown>();

/** The SET list of an upsert that takes each of `columns` from the row that was refused (`EXCLUDED`). */
export function fromExcluded<Table extends TableName>(table: Table, columns: readonly ColumnName<Table>[]): ExcludedSet<Table> {
  const key = `${table}\u0000${columns.join(',')}`;
  const made = excludedSets.get(key);
  if (made) return made;
  const known = columnTypes[table] as Readonly<Record<string, string>>;
  const set = columns.map((column) => {
    if (!(column in known)) throw new Error(`${table} has no column ${column}`);
    return [column, sql.ref(`excluded.${column}`)] as const;
  });
  const excluded = Object.freeze(Object.fromEntries(set)) as ExcludedSet<Table>;
  excludedSets.set(key, excluded);
  return excluded;
}
