import { CompiledQuery, sql, type Compilable, type RawBuilder } from 'kysely';
import type { KyselyDatabase } from './database.js';

/** `$position` in a statement compiled once: its value comes with each execution. */
export const param = <T>(position: number): RawBuilder<T> => sql.raw<T>(`$${position}`);

/** `$position::text[]`: the keys of a lookup, one array parameter (`= ANY(…)`). */
export const textArray = (position: number): RawBuilder<string[]> => sql<string[]>`${param<string[]>(position)}::text[]`;

/**
 * `(a, b) IN (SELECT * FROM unnest($first::text[], …))`: rows whose `columns` equal one of the keys,
 * given as one text array per column from position `first` on: `columnsIn` for a statement compiled once.
 */
export function textKeysIn(columns: readonly string[], first: number): RawBuilder<boolean> {
  const refs = sql.join(columns.map((column) => sql.ref(column)));
  const arrays = sql.join(columns.map((_, index) => textArray(first + index)));
  return sql<boolean>`(${refs}) IN (SELECT * FROM unnest(${arrays}))`;
}

/**
 * A read statement built with Kysely (typed tables and columns) and compiled once, its values
 * given as positional parameters ({@link param}) each time it runs: on the hottest read paths,
 * building and compiling the query anew would cost about as much CPU as the rest of the request.
 */
export function compiledOnce<Row>(query: Compilable<Row>): (parameters: readonly unknown[]) => CompiledQuery<Row> {
  const compiled = query.compile();
  if (compiled.parameters.length > 0) throw new Error(`a statement compiled once takes its values as positional parameters only: ${compiled.sql}`);
  return (parameters) => CompiledQuery.raw(compiled.sql, [...parameters]);
}

/**
 * `compile` run once per Kysely instance (its statements depend on the instance's dialect and
 * plugins), its result kept for as long as the instance lives.
 */
export function compiledPerDatabase<Statements>(compile: (kysely: KyselyDatabase) => Statements): (kysely: KyselyDatabase) => Statements {
  const compiled = new WeakMap<KyselyDatabase, Statements>();
  return (kysely) => {
    let statements = compiled.get(kysely);
    if (!statements) {
      statements = compile(kysely);
      compiled.set(kysely, statements);
    }
    return statements;
  };
}

/** The rows of a statement compiled once, run on `kysely` with `parameters`. */
export async function rowsOf<Row>(
  kysely: KyselyDatabase,
  statement: (parameters: readonly unknown[]) => CompiledQuery<Row>,
  parameters: readonly unknown[],
): Promise<Row[]> {
  return (await kysely.executeQuery(statement(parameters))).rows;
}
