import { sql as rawSql, type QueryCreator, type Selectable } from 'kysely';
import { fromExcluded, insertRows } from '../../shared/database/kysely/batch-writes.js';
import { kyselyOver, type Counted, type Row, type Tables } from '../../shared/database/kysely/database.js';
import type { SqlClient } from '../../shared/database/sql.js';
import type { RecordedEvent } from '../../shared/event-store/contract.js';
import type { StreamProjection } from '../../shared/projections/stream-projection.js';
import { ACTIVITY_CATEGORY, ACTIVITY_EVENTS, type ActivityEvent, type ConversionRegistered, type ImpressionRegistered } from '../domain/index.js';
import { hourBucket } from './stats/index.js';

/** Whose counters a row holds. */
export type CounterScope = 'campaign' | 'influencer' | 'product';
/** Which breakdown of the subject a row is: its total, or one influencer, campaign or hour. */
export type CounterDimension = 'total' | 'influencer' | 'campaign' | 'hour';

/** Identifies one counter row: `key` is '' for totals, else an influencer id, campaign id or UTC hour. */
export interface CounterKey {
  readonly scope: CounterScope;
  readonly subjectId: string;
  readonly dimension: CounterDimension;
  readonly key: string;
}

/**
 * A `tracking_counters` row, or the delta a batch adds to it (updated in place while counting):
 * its counts as numbers, its position the greatest counted.
 */
export type CounterRow = CounterKey & Counted<Omit<Selectable<Tables['trackingCounters']>, keyof CounterKey>, 'impressions' | 'conversions' | 'units'>;

/** A `tracking_revenue` row (revenue of one counter row in one currency), or its delta. */
export type RevenueRow = CounterKey & Counted<Omit<Selectable<Tables['trackingRevenue']>, keyof CounterKey>, 'amountMinor'>;

/** An `impressions` row. */
export type ImpressionRow = Row<'impressions'>;

/** A `conversions` row (`position` is '0' while the conversion is only claimed). */
export type ConversionRow = Row<'conversions'>;

export type ActivityRow =
  | { readonly kind: 'impression'; readonly row: ImpressionRow }
  | { readonly kind: 'conversion'; readonly row: ConversionRow }
  | { readonly kind: 'counter'; readonly row: CounterRow }
  | { readonly kind: 'revenue'; readonly row: RevenueRow };

/**
 * What a run of activity events adds to the read models: the new impression and conversion rows
 * and the counter deltas (one entry per counter row touched, so a batch of 1,000 impressions of a
 * few influencers in one hour is a handful of deltas).
 */
export interface ActivityDelta {
  readonly impressions: ImpressionRow[];
  readonly conversions: ConversionRow[];
  readonly counters: Map<string, CounterRow>;
  readonly revenue: Map<string, RevenueRow>;
  /**
   * Impressions not yet in `counters`, per (campaign, influencer, hour): every impression of one
   * such group counts in the same six rows, so a batch costs one lookup per impression and six
   * per group ({@link flushImpressions}).
   */
  readonly impressionGroups: Map<string, ImpressionGroup>;
}

/** Impressions of one campaign, influencer and hour, counted but not yet added to their counter rows. */
interface ImpressionGroup {
  readonly campaignId: string;
  readonly influencerId: string;
  readonly hour: string;
  count: number;
  position: string;
  updatedAt: Date;
}

const SEPARATOR = '\u0000';
const keyOf = (key: CounterKey): string => `${key.scope}${SEPARATOR}${key.subjectId}${SEPARATOR}${key.dimension}${SEPARATOR}${key.key}`;

/** The later of two positions (decimal strings without leading zeros). */
export function maxPosition(a: string, b: string): string {
  if (a.length !== b.length) return a.length > b.length ? a : b;
  return a >= b ? a : b;
}

export const impressionRowOf = (data: ImpressionRegistered['data']): ImpressionRow => ({
  id: data.impressionId,
  campaignId: data.campaignId,
  influencerId: data.influencerId,
  occurredAt: new Date(data.occurredAt),
});

export const conversionRowOf = (data: ConversionRegistered['data'], position: string): ConversionRow => ({
  id: data.conversionId,
  campaignId: data.campaignId,
  influencerId: data.influencerId,
  amountMinor: String(data.valueMinor),
  currency: data.value.currency,
  impressionId: data.impressionId,
  productId: data.productId,
  storeId: data.storeId,
  quantity: data.quantity,
  occurredAt: new Date(data.occurredAt),
  position,
});

/** The six counter rows every activity event counts in: its campaign's and its influencer's. */
function activityCounterKeys(campaignId: string, influencerId: string, hour: string): CounterKey[] {
  return [
    { scope: 'campaign', subjectId: campaignId, dimension: 'total', key: '' },
    { scope: 'campaign', subjectId: campaignId, dimension: 'influencer', key: influencerId },
    { scope: 'campaign', subjectId: campaignId, dimension: 'hour', key: hour },
    { scope: 'influencer', subjectId: influencerId, dimension: 'total', key: '' },
    { scope: 'influencer', subjectId: influencerId, dimension: 'campaign', key: campaignId },
    { scope: 'influencer', subjectId: influencerId, dimension: 'hour', key: hour },
  ];
}

/** The counter rows one activity event counts in: 6 per impression, 6 or 7 per conversion. */
export function counterKeysOf(event: ActivityEvent): CounterKey[] {
  const { campaignId, influencerId, occurredAt } = event.data;
  const keys = activityCounterKeys(campaignId, influencerId, hourBucket(occurredAt));
  if (event.type === 'ConversionRegistered' && event.data.productId !== null) {
    keys.push({ scope: 'product', subjectId: event.data.productId, dimension: 'total', key: '' });
  }
  return keys;
}

export const emptyActivityDelta = (): ActivityDelta => ({
  impressions: [],
  conversions: [],
  counters: new Map(),
  revenue: new Map(),
  impressionGroups: new Map(),
});

/** The counter row of `key` in `delta`, created empty (at `position`, `updatedAt`) when missing. */
function counterAt(delta: ActivityDelta, key: CounterKey, position: string, updatedAt: Date): CounterRow {
  const id = keyOf(key);
  let counter = delta.counters.get(id);
  if (!counter) {
    counter = { ...key, impressions: 0, conversions: 0, units: 0, position, updatedAt };
    delta.counters.set(id, counter);
  }
  counter.position = maxPosition(counter.position, position);
  if (updatedAt > counter.updatedAt) counter.updatedAt = updatedAt;
  return counter;
}

/** Adds the grouped impressions to their counter rows. */
function flushImpressions(delta: ActivityDelta): void {
  for (const group of delta.impressionGroups.values()) {
    for (const key of activityCounterKeys(group.campaignId, group.influencerId, group.hour)) {
      counterAt(delta, key, group.position, group.updatedAt).impressions += group.count;
    }
  }
  delta.impressionGroups.clear();
}

/** Counts one activity event in `delta` (O(1)). Rows are not added. */
function countActivity(delta: ActivityDelta, event: RecordedEvent<ActivityEvent>): void {
  if (event.type === 'ImpressionRegistered') {
    const { campaignId, influencerId, occurredAt } = event.data;
    const hour = hourBucket(occurredAt);
    const id = `${campaignId}${SEPARATOR}${influencerId}${SEPARATOR}${hour}`;
    const group = delta.impressionGroups.get(id);
    if (!group) {
      delta.impressionGroups.set(id, { campaignId, influencerId, hour, count: 1, position: event.position, updatedAt: event.occurredAt });
      return;
    }
    group.count += 1;
    group.position = maxPosition(group.position, event.position);
    if (event.occurredAt > group.updatedAt) group.updatedAt = event.occurredAt;
    return;
  }
  const conversion = event.data;
  for (const key of counterKeysOf(event)) {
    const counter = counterAt(delta, key, event.position, event.occurredAt);
    counter.conversions += 1;
    counter.units += conversion.quantity ?? 0;
    const revenueId = `${keyOf(key)}${SEPARATOR}${conversion.value.currency}`;
    const revenue = delta.revenue.get(revenueId);
    if (revenue) revenue.amountMinor += conversion.valueMinor;
    else delta.revenue.set(revenueId, { ...key, currency: conversion.value.currency, amountMinor: conversion.valueMinor });
  }
}

/** Adds one recorded activity event to `delta` in place, in O(1): its row and its counts. */
export function evolveActivity(delta: ActivityDelta, event: RecordedEvent<ActivityEvent>): ActivityDelta {
  if (event.type === 'ImpressionRegistered') delta.impressions.push(impressionRowOf(event.data));
  else delta.conversions.push(conversionRowOf(event.data, event.position));
  countActivity(delta, event);
  return delta;
}

function deltaRows(delta: ActivityDelta): ActivityRow[] {
  flushImpressions(delta);
  return [
    ...delta.impressions.map((row) => ({ kind: 'impression' as const, row })),
    ...delta.conversions.map((row) => ({ kind: 'conversion' as const, row })),
    ...[...delta.counters.values()].map((row) => ({ kind: 'counter' as const, row })),
    ...[...delta.revenue.values()].map((row) => ({ kind: 'revenue' as const, row })),
  ];
}

/** Sums deltas of the same counter row (rows of several streams meet in one write during a rebuild). */
function mergeCounters(rows: readonly CounterRow[]): CounterRow[] {
  const merged = new Map<string, CounterRow>();
  for (const row of rows) {
    const id = keyOf(row);
    const seen = merged.get(id);
    if (!seen) {
      merged.set(id, { ...row });
      continue;
    }
    seen.impressions += row.impressions;
    seen.conversions += row.conversions;
    seen.units += row.units;
    seen.position = maxPosition(seen.position, row.position);
    if (row.updatedAt > seen.updatedAt) seen.updatedAt = row.updatedAt;
  }
  // One global lock order for concurrent writers: no deadlock between two batches.
  return [...merged.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, row]) => row);
}

function mergeRevenue(rows: readonly RevenueRow[]): RevenueRow[] {
  const merged = new Map<string, RevenueRow>();
  for (const row of rows) {
    const id = `${keyOf(row)}${SEPARATOR}${row.currency}`;
    const seen = merged.get(id);
    if (seen) seen.amountMinor += row.amountMinor;
    else merged.set(id, { ...row });
  }
  return [...merged.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, row]) => row);
}

const byId = <Row extends { id: string }>(a: Row, b: Row): number => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/**
 * Inserts impression rows; existing ids are left alone. Returns the ids this call inserted: one
 * result row either way, holding those ids only when some were already there (the usual batch
 * claims every id, and needs no id back).
 */
export async function insertImpressions(sql: SqlClient, rows: readonly ImpressionRow[]): Promise<Set<string>> {
  if (rows.length === 0) return new Set();
  const sorted = [...rows].sort(byId);
  const ids = sorted.map((row) => row.id);
  const result = await kyselyOver(sql)
    .with('inserted', (db) =>
      insertRows(db, 'impressions', sorted)
        .onConflict((conflict) => conflict.column('id').doNothing())
        .returning('id'),
    )
    .selectFrom('inserted')
    .select(rawSql<string[] | null>`CASE WHEN count(*) < ${new Set(ids).size} THEN coalesce(array_agg(id), '{}') END`.as('ids'))
    .executeTakeFirst();
  return new Set(result?.ids ?? ids);
}

/** Inserts conversion rows; existing ids are left alone. Returns the ids this call inserted. */
export async function insertConversions(sql: SqlClient, rows: readonly ConversionRow[]): Promise<Set<string>> {
  if (rows.length === 0) return new Set();
  const inserted = await insertRows(kyselyOver(sql), 'conversions', [...rows].sort(byId))
    .onConflict((conflict) => conflict.column('id').doNothing())
    .returning('id')
    .execute();
  return new Set(inserted.map((row) => row.id));
}

/** The statement that adds counter deltas to their rows (summing counts, keeping the greatest position and time). */
const addToCounters = (db: QueryCreator<Tables>, counters: readonly CounterRow[]) =>
  insertRows(db, 'trackingCounters', counters)
    .onConflict((conflict) =>
      conflict.columns(['scope', 'subjectId', 'dimension', 'key']).doUpdateSet((eb) => ({
        impressions: eb('trackingCounters.impressions', '+', eb.ref('excluded.impressions')),
        conversions: eb('trackingCounters.conversions', '+', eb.ref('excluded.conversions')),
        units: eb('trackingCounters.units', '+', eb.ref('excluded.units')),
        position: eb.fn('greatest', ['trackingCounters.position', 'excluded.position']),
        updatedAt: eb.fn('greatest', ['trackingCounters.updatedAt', 'excluded.updatedAt']),
      })),
    )
    .returning(rawSql<number>`1`.as('one'));

/** The statement that adds revenue deltas to their rows. */
const addToRevenue = (db: QueryCreator<Tables>, revenue: readonly RevenueRow[]) =>
  insertRows(db, 'trackingRevenue', revenue)
    .onConflict((conflict) =>
      conflict
        .columns(['scope', 'subjectId', 'dimension', 'key', 'currency'])
        .doUpdateSet((eb) => ({ amountMinor: eb('trackingRevenue.amountMinor', '+', eb.ref('excluded.amountMinor')) })),
    )
    .returning(rawSql<number>`1`.as('one'));

/** Adds counter and revenue deltas to their rows: one statement, whatever the number of rows. */
async function addCounters(sql: SqlClient, counterRows: readonly CounterRow[], revenueRows: readonly RevenueRow[]): Promise<void> {
  const counters = mergeCounters(counterRows);
  const revenue = mergeRevenue(revenueRows);
  if (counters.length === 0 && revenue.length === 0) return;
  const kysely = kyselyOver(sql);
  await kysely
    .with('counted', () => addToCounters(kysely, counters))
    .with('earned', () => addToRevenue(kysely, revenue))
    .selectNoFrom((eb) => [
      eb.selectFrom('counted').select(eb.fn.countAll().as('rows')).as('counters'),
      eb.selectFrom('earned').select(eb.fn.countAll().as('rows')).as('revenue'),
    ])
    .execute();
}

/**
 * Impressions, conversions and the stats counters, from the `activity-<campaignId>` streams.
 * The accumulator is a delta and `write` adds it, so the same functions serve the inline path
 * (folding only the events a transaction appended) and a rebuild (folding every event into empty
 * tables): counters are never recounted from the tables.
 */
export const activityProjection: StreamProjection<ActivityDelta, ActivityRow, ActivityEvent> = {
  name: 'activity',
  category: ACTIVITY_CATEGORY,
  events: ACTIVITY_EVENTS,
  tables: ['impressions', 'conversions', 'tracking_counters', 'tracking_revenue'],
  initial: emptyActivityDelta,
  evolve: evolveActivity,
  toRows: deltaRows,
  async write(sql: SqlClient, rows) {
    const impressions: ImpressionRow[] = [];
    const conversions: ConversionRow[] = [];
    const counters: CounterRow[] = [];
    const revenue: RevenueRow[] = [];
    for (const row of rows) {
      if (row.kind === 'impression') impressions.push(row.row);
      else if (row.kind === 'conversion') conversions.push(row.row);
      else if (row.kind === 'counter') counters.push(row.row);
      else revenue.push(row.row);
    }
    await insertImpressions(sql, impressions);
    if (conversions.length > 0) {
      // A conversion claimed before its append holds position 0 until here.
      await insertRows(kyselyOver(sql), 'conversions', [...conversions].sort(byId))
        .onConflict((conflict) => conflict.column('id').doUpdateSet(fromExcluded('conversions', ['position'])))
        .execute();
    }
    await addCounters(sql, counters, revenue);
  },
};

/**
 * Inline projection of the activity events a transaction just appended. The impression rows were
 * already inserted by the idempotency claim (the same rows {@link impressionRowOf} builds), so
 * only conversions' positions and the counters are written: a handful of statements per batch.
 */
export async function projectAppendedActivity(tx: SqlClient, appended: ReadonlyArray<RecordedEvent<ActivityEvent>>): Promise<void> {
  const delta = emptyActivityDelta();
  for (const event of appended) {
    if (event.type === 'ConversionRegistered') delta.conversions.push(conversionRowOf(event.data, event.position));
    countActivity(delta, event);
  }
  const rows = deltaRows(delta);
  if (rows.length > 0) await activityProjection.write(tx, rows);
}
