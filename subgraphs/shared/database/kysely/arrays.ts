import { RawNode, ValueNode, createQueryId, createRawBuilder, sql, type AliasedRawBuilder, type InsertType, type RawBuilder, type SelectType } from 'kysely';
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
  Exclude<InsertType<Tables[Table][Column]>, undefined> | (ColumnTypes[Table][Column & keyof ColumnTypes[Table]] extends 'bigint' ? number : never);

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

/**
 * A raw builder of one array parameter per part, each cast as `::<type>[]`, between `before` and
 * `after`. One node holding the values: what `sql` templates would build of nested fragments,
 * parsed again on every call (a query id each), costs more than the one-row write it is for.
 */
function castArrays<O>(fragments: readonly string[], arrays: readonly unknown[]): RawBuilder<O> {
  return createRawBuilder<O>({
    queryId: createQueryId(),
    rawNode: RawNode.create(
      fragments,
      arrays.map((values) => ValueNode.create(values)),
    ),
  });
}

/** Text between the parameters of `unnest($1::a[], $2::b[], …)`, and the encoders of its columns, by table and columns. */
interface ArrayShape {
  readonly fragments: readonly string[];
  readonly encoders: ReadonlyArray<(value: unknown) => unknown>;
}

const shapes = new Map<string, ArrayShape>();

/** The shape of `<before>$1::a[], $2::b[]<after>` for `columns`, made once per table, columns and text. */
function arrayShape<Table extends TableName>(table: Table, columns: readonly ColumnName<Table>[], before: string, after: string): ArrayShape {
  const key = `${table}\u0000${columns.join(',')}\u0000${before}\u0000${after}`;
  let shape = shapes.get(key);
  if (!shape) {
    const types = columns.map((column) => columnType(table, column));
    const fragments =
      types.length === 0 ? [before + after] : [before, ...types.map((type, index) => `::${type}[]${index === types.length - 1 ? after : ', '}`)];
    shape = { fragments, encoders: types.map(encoderOf) };
    shapes.set(key, shape);
  }
  return shape;
}

/** `$n::<type>[]`: the values of one column as one typed array parameter. */
export function columnArray<Table extends TableName, Column extends ColumnName<Table>>(
  table: Table,
  column: Column,
  values: readonly ColumnInput<Table, Column>[],
): RawBuilder<ReadonlyArray<SelectType<Tables[Table][Column]>>> {
  const { fragments, encoders } = arrayShape(table, [column], '', '');
  const encode = encoders[0]!;
  return castArrays(fragments, [values.map(encode)]);
}

const aliases = new Map<string, RawBuilder<unknown>>();

/** `name(a, b, …)`, made once per name and columns (a builder is immutable: it can be shared). */
function columnAlias(name: string, columns: readonly string[]): RawBuilder<unknown> {
  const key = `${name}\u0000${columns.join(',')}`;
  let alias = aliases.get(key);
  if (!alias) {
    alias = sql`${sql.id(name)}(${sql.join(columns.map((column) => sql.id(column)))})`;
    aliases.set(key, alias);
  }
  return alias;
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
  const { fragments, encoders } = arrayShape(table, columns, 'unnest(', ')');
  const arrays = columns.map((column, index) => {
    const encode = encoders[index]!;
    return rows.map((row) => encode(row[column]));
  });
  return castArrays<Selected<Table, Column>>(fragments, arrays).as<Alias>(columnAlias(alias ?? 't', columns));
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
