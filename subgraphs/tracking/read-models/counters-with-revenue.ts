import { sql } from 'kysely';
import type { KyselyDatabase } from '../../shared/database/kysely/database.js';
import type { CounterDimension, CounterScope } from '../projections/index.js';
import type { StatsView } from './rows.js';

/**
 * Counter rows (`trackingCounters as c`), each with its revenue by currency, in one statement: the
 * revenue rows of an entry are read by a subquery beside it rather than by a second statement.
 * Revenue is only counted with a conversion, which also counts, so an entry with revenue always has
 * its counter row. Filter with `where` on the counters' columns.
 */
export function countersWithRevenue(kysely: KyselyDatabase) {
  return kysely
    .selectFrom('trackingCounters as c')
    .select(['c.scope', 'c.subjectId', 'c.dimension', 'c.key', 'c.impressions', 'c.conversions', 'c.units', 'c.position', 'c.updatedAt'])
    .select((eb) =>
      eb
        .selectFrom('trackingRevenue as r')
        // Sums as text: a JSON number could not hold every BIGINT exactly.
        .select(sql<Record<string, string> | null>`jsonb_object_agg(${sql.ref('r.currency')}, ${sql.ref('r.amountMinor')}::text)`.as('revenue'))
        .whereRef('r.scope', '=', 'c.scope')
        .whereRef('r.subjectId', '=', 'c.subjectId')
        .whereRef('r.dimension', '=', 'c.dimension')
        .whereRef('r.key', '=', 'c.key')
        .as('revenue'),
    );
}

type CounterWithRevenue = Awaited<ReturnType<ReturnType<typeof countersWithRevenue>['execute']>>[number];

/** One row of {@link countersWithRevenue} as the API reads it; BIGINT counts and sums become numbers. */
export function statsViewOf(row: CounterWithRevenue): StatsView {
  return {
    scope: row.scope as CounterScope,
    subjectId: row.subjectId,
    dimension: row.dimension as CounterDimension,
    key: row.key,
    impressions: Number(row.impressions),
    conversions: Number(row.conversions),
    units: Number(row.units),
    revenue: Object.fromEntries(Object.entries(row.revenue ?? {}).map(([currency, minor]) => [currency, Number(minor)])),
    position: row.position,
    updatedAt: row.updatedAt,
  };
}
