import type { Row, SqlClient } from '../database/sql.js';
import { streamCategory, type EventMetadata, type RecordedEvent } from '../event-store/contract.js';
import type { AnyStreamProjection } from './stream-projection.js';

export interface RebuildProgress {
  /** Events of the log scanned so far (those no projection declares are skipped, but counted). */
  readonly eventsRead: number;
  /** Events in the log when the rebuild started. */
  readonly eventsTotal: number;
}

export interface RebuildReport {
  /** Events replayed through the projections (of the categories and types they declare). */
  readonly events: number;
  readonly rows: number;
  /**
   * Per table: rows that differ between the inline read model and the rebuilt one (the size of the
   * symmetric difference: a changed row counts twice, a missing or extra row once).
   */
  readonly differences: Readonly<Record<string, number>>;
  readonly equal: boolean;
  readonly seconds: number;
}

const WRITE_CHUNK = 5000;

interface EventRow extends Row {
  position: string;
  transaction_id: string;
  stream_id: string;
  version: number;
  type: string;
  data: unknown;
  metadata: EventMetadata | null;
  occurred_ms: number | string;
}

/** A row as the event it stores, untyped: the projection's schema decodes it. */
function toRecordedEvent(row: EventRow): RecordedEvent {
  return {
    position: String(row.position),
    transactionId: String(row.transaction_id),
    streamId: row.stream_id,
    version: Number(row.version),
    type: row.type,
    data: row.data,
    metadata: row.metadata ?? {},
    occurredAt: new Date(Number(row.occurred_ms)),
  };
}

const quoteIdent = (name: string): string => `"${name.replace(/"/g, '""')}"`;

/**
 * Empty temporary copies of `public.<table>` (columns, defaults, NOT NULL) with their unique
 * indexes (the primary key included, which the projections' upserts need) but without plain
 * indexes: the rebuilt rows are written once and only compared. Temporary tables are not
 * WAL-logged and vanish at commit. One script, so that many tables cost one round trip.
 */
async function createScratchTables(tx: SqlClient, tables: readonly string[]): Promise<void> {
  if (tables.length === 0) return;
  const indexes = await tx.query<{ table_name: string; definition: string }>(
    `SELECT c.relname AS table_name, pg_get_indexdef(i.indexrelid) AS definition
     FROM pg_index i JOIN pg_class c ON c.oid = i.indrelid JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE n.nspname = 'public' AND c.relname = ANY($1::text[]) AND i.indisunique
     ORDER BY c.relname, i.indisprimary DESC, i.indexrelid`,
    [tables],
  );
  const script: string[] = [];
  for (const table of tables) {
    const name = quoteIdent(table);
    script.push(`CREATE TEMPORARY TABLE ${name} (LIKE public.${name} INCLUDING DEFAULTS) ON COMMIT DROP;`);
    for (const { definition } of indexes.filter((index) => index.table_name === table)) {
      // "CREATE UNIQUE INDEX <name> ON public.<table> USING ..." → an unnamed index on the scratch copy.
      const onScratch = definition.replace(/^CREATE UNIQUE INDEX \S+ ON (ONLY )?\S+ /, `CREATE UNIQUE INDEX ON pg_temp.${name} `);
      if (onScratch === definition) throw new Error(`cannot copy index of ${table}: ${definition}`);
      script.push(`${onScratch};`);
    }
  }
  await tx.exec(script.join('\n'));
}

/**
 * Replays every event into fresh copies of the projections' tables (temporary tables first on the
 * search_path, so `write` lands there), compares them with the inline tables row by row, and
 * replaces the inline tables that differ with the rebuilt ones, all in one transaction.
 *
 * The transaction is REPEATABLE READ: events and inline tables are read from one snapshot, so a
 * command committing meanwhile is either wholly in both or in neither (and if it updates a row the
 * replacement would touch, the rebuild fails with a serialization error instead of undoing it).
 * Every event visible in the snapshot is replayed, in position order, which is each stream's
 * version order: each to the projection of its category, if that projection declares its type,
 * decoded by the projection's schema (upcast to its current shape). `sql` must not already be
 * inside a transaction.
 */
export async function rebuildProjections(
  sql: SqlClient,
  projections: readonly AnyStreamProjection[],
  options: { onProgress?: (progress: RebuildProgress) => void; pageSize?: number; replace?: boolean } = {},
): Promise<RebuildReport> {
  const started = performance.now();
  const byCategory = new Map(projections.map((projection) => [projection.category, projection]));
  const tables = projections.flatMap((projection) => projection.tables);
  const pageSize = options.pageSize ?? 5000;

  return sql.transaction(async (tx) => {
    await tx.query('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ');
    // Room to compare the tables with hashed set operations rather than sorts (this transaction only).
    await tx.query(`SET LOCAL work_mem = '64MB'`);
    // Progress counts every event scanned (projected or skipped), against the whole log.
    const [{ total } = { total: '0' }] = await tx.query<{ total: string }>('SELECT count(*)::text AS total FROM events');
    const eventsTotal = Number(total);
    const accumulators = new Map<string, { projection: AnyStreamProjection; value: unknown }>();
    // Pages by primary key, with no category filter in SQL: with one, the planner cannot tell how
    // many rows qualify and may sort the whole remaining log for every page. Other categories'
    // events are skipped below.
    const readPage = (after: string) => {
      const page = tx.query<EventRow>(
        `SELECT position, transaction_id, stream_id, version, type, data, metadata,
                (extract(epoch FROM occurred_at) * 1000)::float8 AS occurred_ms
         FROM events
         WHERE position > $1::bigint
         ORDER BY position
         LIMIT $2`,
        [after, pageSize],
      );
      // Awaited below; this only keeps a failure from surfacing as unhandled if folding throws first.
      page.catch(() => undefined);
      return page;
    };
    let eventsScanned = 0;
    let eventsRead = 0;
    let next = readPage('0');
    for (;;) {
      const page = await next;
      if (page.length === 0) break;
      // Ask for the next page before folding this one: the database reads while we fold.
      next = readPage(String(page[page.length - 1]!.position));
      for (const row of page) {
        let entry = accumulators.get(row.stream_id);
        if (!entry) {
          const projection = byCategory.get(streamCategory(row.stream_id));
          if (!projection) continue;
          entry = { projection, value: projection.initial() };
          accumulators.set(row.stream_id, entry);
        }
        const event = entry.projection.events.select(toRecordedEvent(row));
        if (!event) continue;
        entry.value = entry.projection.evolve(entry.value, event);
        eventsRead += 1;
      }
      eventsScanned += page.length;
      options.onProgress?.({ eventsRead: eventsScanned, eventsTotal: Math.max(eventsTotal, eventsScanned) });
    }

    const byProjection = new Map<AnyStreamProjection, unknown[]>(projections.map((projection) => [projection, []]));
    for (const entry of accumulators.values()) byProjection.get(entry.projection)!.push(entry.value);
    // A projection without events rebuilds to empty tables: those need no scratch copy, every
    // inline row of theirs is a difference.
    const replayed = projections.filter((projection) => byProjection.get(projection)!.length > 0);
    const scratchTables = new Set(replayed.flatMap((projection) => projection.tables));
    await createScratchTables(tx, [...scratchTables]);
    await tx.query('SET LOCAL search_path TO pg_temp, public');
    let rows = 0;
    for (const projection of replayed) {
      const values = byProjection.get(projection)!;
      const projectionRows = values.flatMap((value): unknown[] => projection.toRows(value));
      for (let index = 0; index < projectionRows.length; index += WRITE_CHUNK) {
        await projection.write(tx, projectionRows.slice(index, index + WRITE_CHUNK));
      }
      rows += projectionRows.length;
    }
    await tx.query('SET LOCAL search_path TO public');

    // One statement for every table: a count per column.
    const counts = tables.map((table, index) => {
      const name = quoteIdent(table);
      const count = scratchTables.has(table)
        ? `SELECT count(*) FROM (
             (TABLE public.${name} EXCEPT ALL TABLE pg_temp.${name})
             UNION ALL
             (TABLE pg_temp.${name} EXCEPT ALL TABLE public.${name})
           ) AS difference`
        : `SELECT count(*) FROM public.${name}`;
      return `(${count})::text AS t${index}`;
    });
    const [counted] = tables.length > 0 ? await tx.query<Record<string, string>>(`SELECT ${counts.join(',\n')}`) : [{}];
    const differences: Record<string, number> = {};
    tables.forEach((table, index) => {
      differences[table] = Number(counted?.[`t${index}`] ?? 0);
    });
    if (options.replace !== false) {
      // Only the tables that differ: an equal table is left untouched.
      for (const table of tables.filter((candidate) => differences[candidate] !== 0)) {
        const name = quoteIdent(table);
        await tx.query(`DELETE FROM public.${name}`);
        if (scratchTables.has(table)) await tx.query(`INSERT INTO public.${name} TABLE pg_temp.${name}`);
      }
    }
    // The scratch tables are dropped at commit.
    return {
      events: eventsRead,
      rows,
      differences,
      equal: Object.values(differences).every((count) => count === 0),
      seconds: (performance.now() - started) / 1000,
    };
  });
}
