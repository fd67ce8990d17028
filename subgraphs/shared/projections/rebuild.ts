import type { SqlClient } from '../database/sql.js';
import { LOG_START, cursorOf, streamCategory, type LogCursor } from '../event-store/contract.js';
import { SqlEventStore } from '../event-store/sql-event-store.js';
import type { AnyStreamProjection } from './stream-projection.js';

export interface RebuildProgress {
  readonly eventsRead: number;
  readonly eventsTotal: number;
}

export interface RebuildReport {
  readonly events: number;
  readonly rows: number;
  /** Per table: rows that differ between the inline read model and the rebuilt one. */
  readonly differences: Readonly<Record<string, number>>;
  readonly equal: boolean;
  readonly seconds: number;
}

const REBUILD_SCHEMA = 'projection_rebuild';
const WRITE_CHUNK = 2000;

/**
 * Replays every event into fresh copies of the projections' tables (a scratch schema first on the
 * search_path, so `write` lands there), compares them with the inline tables row by row, and
 * replaces the inline tables with the rebuilt ones, all in one transaction.
 */
export async function rebuildProjections(
  sql: SqlClient,
  projections: readonly AnyStreamProjection[],
  options: { onProgress?: (progress: RebuildProgress) => void; pageSize?: number; replace?: boolean } = {},
): Promise<RebuildReport> {
  const started = performance.now();
  const byCategory = new Map(projections.map((projection) => [projection.category, projection]));
  const categories = [...byCategory.keys()];
  const tables = projections.flatMap((projection) => projection.tables);

  return sql.transaction(async (tx) => {
    const [{ total } = { total: '0' }] = await tx.query<{ total: string }>(
      `SELECT count(*)::text AS total FROM events WHERE split_part(stream_id, '-', 1) = ANY($1::text[])`,
      [categories],
    );
    const eventsTotal = Number(total);
    const accumulators = new Map<string, { projection: AnyStreamProjection; value: unknown }>();
    const store = new SqlEventStore(tx);
    let cursor: LogCursor = LOG_START;
    let eventsRead = 0;
    for (;;) {
      const page = await store.readAll(cursor, { categories, limit: options.pageSize ?? 5000 });
      if (page.length === 0) break;
      for (const event of page) {
        let entry = accumulators.get(event.streamId);
        if (!entry) {
          const projection = byCategory.get(streamCategory(event.streamId))!;
          entry = { projection, value: projection.initial() };
          accumulators.set(event.streamId, entry);
        }
        entry.value = entry.projection.evolve(entry.value, event);
      }
      eventsRead += page.length;
      cursor = cursorOf(page[page.length - 1]!);
      options.onProgress?.({ eventsRead, eventsTotal: Math.max(eventsTotal, eventsRead) });
    }

    await tx.query(`DROP SCHEMA IF EXISTS ${REBUILD_SCHEMA} CASCADE`);
    await tx.query(`CREATE SCHEMA ${REBUILD_SCHEMA}`);
    for (const table of tables) {
      await tx.query(`CREATE TABLE ${REBUILD_SCHEMA}.${table} (LIKE public.${table} INCLUDING ALL)`);
    }
    await tx.query(`SET LOCAL search_path TO ${REBUILD_SCHEMA}, public`);
    let rows = 0;
    for (const projection of projections) {
      const projectionRows = [...accumulators.values()]
        .filter((entry) => entry.projection === projection)
        .flatMap((entry) => projection.toRows(entry.value));
      for (let index = 0; index < projectionRows.length; index += WRITE_CHUNK) {
        await projection.write(tx, projectionRows.slice(index, index + WRITE_CHUNK));
      }
      rows += projectionRows.length;
    }
    await tx.query('SET LOCAL search_path TO public');

    const differences: Record<string, number> = {};
    for (const table of tables) {
      const [row] = await tx.query<{ count: string }>(
        `SELECT count(*)::text AS count FROM (
           (TABLE public.${table} EXCEPT ALL TABLE ${REBUILD_SCHEMA}.${table})
           UNION ALL
           (TABLE ${REBUILD_SCHEMA}.${table} EXCEPT ALL TABLE public.${table})
         ) AS difference`,
      );
      differences[table] = Number(row?.count ?? 0);
    }
    if (options.replace !== false) {
      for (const table of tables) {
        await tx.query(`DELETE FROM public.${table}`);
        await tx.query(`INSERT INTO public.${table} TABLE ${REBUILD_SCHEMA}.${table}`);
      }
    }
    await tx.query(`DROP SCHEMA ${REBUILD_SCHEMA} CASCADE`);
    return {
      events: eventsRead,
      rows,
      differences,
      equal: Object.values(differences).every((count) => count === 0),
      seconds: (performance.now() - started) / 1000,
    };
  });
}
