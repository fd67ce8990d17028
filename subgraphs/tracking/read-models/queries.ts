import { badInput } from '../../shared/errors/codes.js';
import { decodeCursor, pageSize, toConnection, type Connection } from '../../shared/graphql/connection.js';
import type { Platform } from '../../shared/platform.js';
import type { CampaignStatus, Platform as InfluencerPlatform } from '../domain/index.js';
import type { CounterScope } from '../projections/index.js';
import { campaignStatusFilter } from './campaign-status.js';
import { countersWithRevenue, statsViewOf } from './counters-with-revenue.js';
import { emptyStats, type CampaignRow, type ConversionRow, type ImpressionRow, type InfluencerRow, type StatsView } from './rows.js';

type Page = { first?: number | null; after?: string | null };

/** The (instant, id) key of a newest-first cursor: rows strictly before it in (instant, id) order come next. */
function instantCursor(after: string | null | undefined): { at: Date; id: string } | undefined {
  const key = decodeCursor(after);
  if (!key) return undefined;
  const at = new Date(String(key[0]));
  if (Number.isNaN(at.getTime()) || typeof key[1] !== 'string') throw badInput('after is not a valid cursor', 'after');
  return { at, id: key[1] };
}

/** Read-side queries that are lists, breakdowns in time, or live snapshots (single lookups use the loaders). */
export function trackingQueries(platform: Platform) {
  const { kysely } = platform.db;

  return {
    async campaigns(args: Page & { status?: CampaignStatus | null; productId?: string | null }): Promise<Connection<CampaignRow>> {
      const size = pageSize(args.first);
      const cursor = instantCursor(args.after);
      let query = kysely.selectFrom('campaigns').selectAll();
      if (args.status) query = query.where(campaignStatusFilter(args.status, new Date()));
      if (args.productId) query = query.where('productId', '=', args.productId);
      if (cursor) query = query.where((eb) => eb(eb.refTuple('createdAt', 'id'), '<', eb.tuple(cursor.at, cursor.id)));
      const rows = await query
        .orderBy('createdAt', 'desc')
        .orderBy('id', 'desc')
        .limit(size + 1)
        .execute();
      return toConnection(rows, size, (row) => [row.createdAt.toISOString(), row.id]);
    },

    async influencers(args: Page & { platform?: InfluencerPlatform | null }): Promise<Connection<InfluencerRow>> {
      const size = pageSize(args.first);
      const cursor = instantCursor(args.after);
      let query = kysely.selectFrom('influencers').selectAll();
      if (args.platform) query = query.where('platform', '=', args.platform);
      if (cursor) query = query.where((eb) => eb(eb.refTuple('createdAt', 'id'), '<', eb.tuple(cursor.at, cursor.id)));
      const rows = await query
        .orderBy('createdAt', 'desc')
        .orderBy('id', 'desc')
        .limit(size + 1)
        .execute();
      return toConnection(rows, size, (row) => [row.createdAt.toISOString(), row.id]);
    },

    /** Impressions of a campaign or an influencer, newest first (by occurredAt, then id). */
    async impressions(owner: { campaignId?: string; influencerId?: string }, args: Page): Promise<Connection<ImpressionRow>> {
      const size = pageSize(args.first);
      const cursor = instantCursor(args.after);
      let query = kysely.selectFrom('impressions').selectAll();
      query = owner.campaignId !== undefined ? query.where('campaignId', '=', owner.campaignId) : query.where('influencerId', '=', owner.influencerId!);
      if (cursor) query = query.where((eb) => eb(eb.refTuple('occurredAt', 'id'), '<', eb.tuple(cursor.at, cursor.id)));
      const rows = await query
        .orderBy('occurredAt', 'desc')
        .orderBy('id', 'desc')
        .limit(size + 1)
        .execute();
      return toConnection(rows, size, (row) => [row.occurredAt.toISOString(), row.id]);
    },

    /** Conversions of a campaign or an influencer, newest first (by occurredAt, then id). */
    async conversions(owner: { campaignId?: string; influencerId?: string }, args: Page): Promise<Connection<ConversionRow>> {
      const size = pageSize(args.first);
      const cursor = instantCursor(args.after);
      let query = kysely.selectFrom('conversions').selectAll();
      query = owner.campaignId !== undefined ? query.where('campaignId', '=', owner.campaignId) : query.where('influencerId', '=', owner.influencerId!);
      if (cursor) query = query.where((eb) => eb(eb.refTuple('occurredAt', 'id'), '<', eb.tuple(cursor.at, cursor.id)));
      const rows = await query
        .orderBy('occurredAt', 'desc')
        .orderBy('id', 'desc')
        .limit(size + 1)
        .execute();
      return toConnection(rows, size, (row) => [row.occurredAt.toISOString(), row.id]);
    },

    /** Hourly buckets of a subject, oldest first, within [from, to). */
    async hourly(scope: CounterScope, subjectId: string, range: { from?: Date | null; to?: Date | null }): Promise<StatsView[]> {
      const from = range.from ? hourFloor(range.from) : undefined;
      const to = range.to ? range.to.toISOString() : undefined;
      const rows = await countersWithRevenue(kysely)
        .where('c.scope', '=', scope)
        .where('c.subjectId', '=', subjectId)
        .where('c.dimension', '=', 'hour')
        .$if(from !== undefined, (query) => query.where('c.key', '>=', from!))
        .$if(to !== undefined, (query) => query.where('c.key', '<', to!))
        .orderBy('c.key')
        .execute();
      return rows.map(statsViewOf);
    },

    /**
     * The total counters of a subject read now, in one statement (subscriptions read it once per
     * coalesced update, without a request's DataLoader cache).
     */
    async totals(scope: CounterScope, subjectId: string): Promise<StatsView> {
      const row = await countersWithRevenue(kysely)
        .where('c.scope', '=', scope)
        .where('c.subjectId', '=', subjectId)
        .where('c.dimension', '=', 'total')
        .where('c.key', '=', '')
        .executeTakeFirst();
      return row ? statsViewOf(row) : emptyStats(scope, subjectId);
    },
  };
}

/** The UTC hour an instant falls in, as the bucket key. */
function hourFloor(at: Date): string {
  return new Date(Math.floor(at.getTime() / 3_600_000) * 3_600_000).toISOString();
}

export type TrackingQueries = ReturnType<typeof trackingQueries>;
