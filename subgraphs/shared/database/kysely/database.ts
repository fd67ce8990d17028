import { CamelCasePlugin, DefaultQueryExecutor, Kysely, PostgresAdapter, PostgresQueryCompiler, type KyselyConfig, type Selectable } from 'kysely';
import type { DB } from '../../../../generated/kysely/database.js';
import type { SqlClient } from '../sql.js';
import { SqlClientConnectionProvider, SqlClientDialect, SqlClientDriver } from './dialect.js';

/** Every table of schema.prisma, by table name in camelCase (`stockLevels`), with its columns. */
export type Tables = DB;

/** A table's name as the Kysely types spell it. */
export type TableName = keyof Tables;

/** One row of a table as a query selects it: the read models' row types are these. */
export type Row<Table extends TableName> = Readonly<Selectable<Tables[Table]>>;

/**
 * A row whose `Columns` (BIGINT counts and sums) are JS numbers, computed in the process and exact
 * up to 2^53, and whose fields may be updated in place (deltas being summed).
 */
export type Counted<Fields, Columns extends keyof Fields> = { -readonly [Name in keyof Fields]: Name extends Columns ? number : Fields[Name] };

/** Typed queries over one SqlClient. */
export type KyselyDatabase = Kysely<Tables>;

// Column and table names are snake_case in the database and camelCase in the types; values of
// JSON columns keep their own keys.
const plugins = [new CamelCasePlugin({ maintainNestedObjectKeys: true })];

/** Typed queries over `client`; `log` sees every statement (tests count them). */
export function createKysely(client: SqlClient, options: { readonly log?: KyselyConfig['log'] } = {}): KyselyDatabase {
  return new Kysely<Tables>({ dialect: new SqlClientDialect(client), plugins, ...(options.log ? { log: options.log } : {}) });
}

// What every Kysely of kyselyOver shares: none of it keeps state between statements (the compiler's
// is reset by each compile, which runs synchronously).
const executor = new DefaultQueryExecutor(new PostgresQueryCompiler(), new PostgresAdapter(), new SqlClientConnectionProvider(nowhere()), plugins);

/** A client that is never queried: the shared executor's placeholder until it is bound to one. */
function nowhere(): SqlClient {
  const unbound = (): never => {
    throw new Error('a Kysely executor was used before it was bound to a SqlClient');
  };
  return { query: unbound, exec: unbound, transaction: unbound, session: unbound };
}

/**
 * Kysely over `client` from the shared parts, as Kysely binds its own transactions to their
 * connection (`withConnectionProvider`): a transaction's queries cost a few small objects, not a
 * dialect, a driver and its lazy initialisation per transaction.
 */
function boundKysely(client: SqlClient): KyselyDatabase {
  const dialect = new SqlClientDialect(client);
  return new Kysely<Tables>({
    config: { dialect, plugins },
    dialect,
    driver: new SqlClientDriver(client),
    executor: executor.withConnectionProvider(new SqlClientConnectionProvider(client)),
  });
}

const byClient = new WeakMap<SqlClient, KyselyDatabase>();

/**
 * Typed queries over `client`, made once per client: a pool or PGlite, or the transaction a
 * projection or command is given (its statements stay in that transaction).
 */
export function kyselyOver(client: SqlClient): KyselyDatabase {
  let kysely = byClient.get(client);
  if (!kysely) {
    kysely = boundKysely(client);
    byClient.set(client, kysely);
  }
  return kysely;
}
