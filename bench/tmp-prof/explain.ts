import { createTestDatabase } from '../../test/support/environment.js';
import { openDatabase } from '../../subgraphs/shared/database/connect.js';
const t = await createTestDatabase({ maxConnections: 1 });
const db = await openDatabase({ url: t.url });
await db.sql.query(`INSERT INTO events (stream_id, version, type, data, metadata, occurred_at)
  SELECT 'benchraw-' || (g % 4), g, 'ImpressionRegistered', jsonb_build_object('impressionId', 'x' || g, 'campaignId', 'c', 'influencerId', 'i', 'occurredAt', now()::text), '{}'::jsonb, now() FROM generate_series(1, 300000) g`);
const [last] = await db.sql.query<{ t: string; p: string }>('SELECT transaction_id::text t, max(position)::text p FROM events GROUP BY 1');
console.log(last);
const READ = `SELECT transaction_id, position FROM events
  WHERE (transaction_id, position) > ($1::bigint, $2::bigint)
    AND transaction_id < (pg_snapshot_xmin(pg_current_snapshot())::text)::bigint
    AND ($4::text[] IS NULL OR split_part(stream_id, '-', 1) = ANY($4::text[]))
  ORDER BY transaction_id, position
  LIMIT $3`;
for (const [mode, cats] of [['force_custom_plan', 'NULL'], ['force_generic_plan', 'NULL'], ['force_custom_plan', "'{activity}'"], ['force_generic_plan', "'{activity}'"]] as const) {
  await db.sql.session(async (s) => {
    await s.query(`SET plan_cache_mode = ${mode}`);
    await s.query(`PREPARE r(bigint, bigint, int, text[]) AS ${READ}`);
    for (const at of [[last!.t, last!.p], ['0', '0']]) {
      const plan = await s.query<{ 'QUERY PLAN': string }>(`EXPLAIN ANALYZE EXECUTE r(${at[0]}, ${at[1]}, 1000, ${cats})`);
      console.log(mode, cats, at, '\n' + plan.map((r) => r['QUERY PLAN']).join('\n'));
    }
    await s.query('DEALLOCATE r');
  });
}
await db.close();
await t.drop();
