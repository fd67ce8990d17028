import { sql, type AliasedRawBuilder, type InsertType, type RawBuilder, type SelectType } from 'kysely';
import { columnTypes } from '../../../../generated/kysely/column-types.js';
import type { TableName, Tables } from './database.js';

/** A column of `Table`. */
export type ColumnName<Table extends TableName> = keyof Tables[Table] & string;

type ColumnTypes = typeof columnTypes;

/**
 * What a batched write takes for a column: what Kysely would insert, and for BIGINT columns also
 * JS numbers (exact up to 2^53: counters and money deltas are computed as numbers).
 */
export type ColumnInput<Table extends TableName, Column extends ColumnName<Table>> =
  | Exclude<InsertType<Tables[Table][Column]>, undefined>
  | (ColumnTypes[Table][Column & keyof ColumnTypes[Table]] extends 'bigint' ? number : never);

/** One row of a batched write: a value for each of its columns. */
export type ColumnValues<Table extends TableName, Column extends ColumnName<Table>> = {
  readonly [Name in Column]: ColumnInput<Table, Name>;
};

/** The selected type of each of the columns. */
type Selected<Table extends TableName, Column extends ColumnName<Table>> = {
  [Name in Column]: SelectType<Tables[Table][Name]>;
};

/** The PostgreSQL type of a column, from schema.prisma. */
function columnType<Table extends TableName>(table: Table, column: ColumnName<Table>): string {
  const type = (columnTypes[table] as Readonly<Record<string, string>>)[column];
  if (type === undefined) throw new Error(`${table} has no column ${column}`);
  return type;
}

/** How a value travels inside an array parameter of `type`: JSON as text, instants in ISO form. */
function encoderOf(type: string): (value: unknown) => unknown {
  if (type === 'jsonb' || type === 'json') return (value) => (value === null ? null : JSON.stringify(value));
  if (type.startsWith('timestamp') || type === 'date') return (value) => (value instanceof Date ? value.toISOString() : value);
  return (value) => value;
}

/** `$n::<type>[]`: the values of one column as one typed array parameter. */
export function columnArray<Table extends TableName, Column extends ColumnName<Table>>(
  table: Table,
  column: Column,
  values: readonly ColumnInput<Table, Column>[],
): RawBuilder<ReadonlyArray<SelectType<Tables[Table][Column]>>> {
  const type = columnType(table, column);
  const encode = encoderOf(type);
  return sql`${sql.val(values.map(encode))}::${sql.raw(type)}[]`;
}

/**
 * `unnest($1::text[], $2::int[], …) AS t(a, b, …)`: rows as one array parameter per column, typed
 * as the table's columns. A statement over it has the same text whatever the number of rows (so
 * 10,000 rows are a handful of parameters, not 10,000 × columns), which is how batched writes and
 * multi-key lookups stay one cheap statement.
 */
export function unnestRows<Table extends TableName, Column extends ColumnName<Table>, Alias extends string = 't'>(
  table: Table,
  columns: readonly Column[],
  rows: readonly ColumnValues<Table, Column>[],
  alias?: Alias,
): AliasedRawBuilder<Selected<Table, Column>, Alias> {
  const arrays = columns.map((column) => {
    const type = columnType(table, column);
    const encode = encoderOf(type);
    return sql`${sql.val(rows.map((row) => encode(row[column])))}::${sql.raw(type)}[]`;
  });
  const name = alias ?? 't';
  return sql<Selected<Table, Column>>`unnest(${sql.join(arrays)})`.as<Alias>(
    sql`${sql.id(name)}(${sql.join(columns.map((column) => sql.id(column)))})`,
  );
}

/**
 * `(a, b) IN (SELECT * FROM unnest($1::text[], $2::text[]) …)`: rows of `table` whose `columns`
 * equal one of `keys`, for lookups by a composite key.
 */
export function columnsIn<Table extends TableName, Column extends ColumnName<Table>>(
  table: Table,
  columns: readonly Column[],
  keys: readonly ColumnValues<Table, Column>[],
): RawBuilder<boolean> {
  return sql<boolean>`(${sql.join(columns.map((column) => sql.ref(column)))}) IN (SELECT * FROM ${unnestRows(table, columns, keys)})`;
}
