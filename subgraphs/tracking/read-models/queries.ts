import { badInput } from '../../shared/errors/codes.js';
import { decodeCursor, pageSize, toConnection, type Connection } from '../../shared/graphql/connection.js';
import type { Platform } from '../../shared/platform.js';
import type { CampaignStatus, Platform as InfluencerPlatform } from '../domain/index.js';
import type { CounterScope } from '../projections/index.js';
import { campaignStatusFilter } from './campaign-status.js';
import {
  campaignFromPrisma,
  conversionFromPrisma,
  emptyStats,
  impressionFromRecord,
  influencerFromPrisma,
  toStatsViews,
  type CampaignRow,
  type ConversionRow,
  type ImpressionRecord,
  type ImpressionRow,
  type InfluencerRow,
  type StatsView,
} from './rows.js';

type Page = { first?: number | null; after?: string | null };

/** The (instant, id) key of a newest-first cursor. */
function instantCursor(after: string | null | undefined): { at: Date; id: string } | undefined {
  const key = decodeCursor(after);
  if (!key) return undefined;
  const at = new Date(String(key[0]));
  if (Number.isNaN(at.getTime()) || typeof key[1] !== 'string') throw badInput('after is not a valid cursor', 'after');
  return { at, id: key[1] };
}

/** Newest first by (instant, id), strictly after the cursor. */
const newestFirstAfter = <Field extends string>(field: Field, cursor: { at: Date; id: string } | undefined) =>
  cursor
    ? { OR: [{ [field]: { lt: cursor.at } }, { [field]: cursor.at, id: { lt: cursor.id } }] }
    : {};

/** Read-side queries that are lists, breakdowns in time, or live snapshots (single lookups use the loaders). */
export function trackingQueries(platform: Platform) {
  const { prisma, sql } = platform.db;

  return {
    async campaigns(args: Page & { status?: CampaignStatus | null; productId?: string | null }): Promise<Connection<CampaignRow>> {
      const size = pageSize(args.first);
      const cursor = instantCursor(args.after);
      const rows = await prisma.campaign.findMany({
        where: {
          AND: [
            args.status ? campaignStatusFilter(args.status, new Date()) : {},
            args.productId ? { productId: args.productId } : {},
            newestFirstAfter('createdAt', cursor),
          ],
        },
        orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
        take: size + 1,
      });
      return toConnection(rows.map(campaignFromPrisma), size, (row) => [row.createdAt.toISOString(), row.id]);
    },

    async influencers(args: Page & { platform?: InfluencerPlatform | null }): Promise<Connection<InfluencerRow>> {
      const size = pageSize(args.first);
      const cursor = instantCursor(args.after);
      const rows = await prisma.influencer.findMany({
        where: { AND: [args.platform ? { platform: args.platform } : {}, newestFirstAfter('createdAt', cursor)] },
        orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
        take: size + 1,
      });
      return toConnection(rows.map(influencerFromPrisma), size, (row) => [row.createdAt.toISOString(), row.id]);
    },

    /** Impressions of a campaign or an influencer, newest first (by occurredAt, then id). */
    async impressions(owner: { campaignId?: string; influencerId?: string }, args: Page): Promise<Connection<ImpressionRow>> {
      const size = pageSize(args.first);
      const cursor = instantCursor(args.after);
      const column = owner.campaignId !== undefined ? 'campaign_id' : 'influencer_id';
      const rows = await sql.query<ImpressionRecord>(
        `SELECT id, campaign_id, influencer_id, occurred_at FROM impressions
         WHERE ${column} = $1 AND ($2::timestamptz IS NULL OR (occurred_at, id) < ($2::timestamptz, $3::text))
         ORDER BY occurred_at DESC, id DESC LIMIT $4`,
        [owner.campaignId ?? owner.influencerId, cursor ? cursor.at.toISOString() : null, cursor?.id ?? null, size + 1],
      );
      return toConnection(rows.map(impressionFromRecord), size, (row) => [row.occurredAt.toISOString(), row.id]);
    },

    /** Conversions of a campaign or an influencer, newest first (by occurredAt, then id). */
    async conversions(owner: { campaignId?: string; influencerId?: string }, args: Page): Promise<Connection<ConversionRow>> {
      const size = pageSize(args.first);
      const cursor = instantCursor(args.after);
      const rows = await prisma.conversion.findMany({
        where: {
          AND: [
            owner.campaignId !== undefined ? { campaignId: owner.campaignId } : { influencerId: owner.influencerId! },
            newestFirstAfter('occurredAt', cursor),
          ],
        },
        orderBy: [{ occurredAt: 'desc' }, { id: 'desc' }],
        take: size + 1,
      });
      return toConnection(rows.map(conversionFromPrisma), size, (row) => [row.occurredAt.toISOString(), row.id]);
    },

    /** Hourly buckets of a subject, oldest first, within [from, to). */
    async hourly(scope: CounterScope, subjectId: string, range: { from?: Date | null; to?: Date | null }): Promise<StatsView[]> {
      const hourKey = { gte: range.from ? hourFloor(range.from) : undefined, lt: range.to ? range.to.toISOString() : undefined };
      const where = { scope, subjectId, dimension: 'hour', key: hourKey };
      const [counters, revenue] = await Promise.all([
        prisma.trackingCounter.findMany({ where, orderBy: { key: 'asc' } }),
        prisma.trackingRevenue.findMany({ where }),
      ]);
      return toStatsViews(counters, revenue);
    },

    /**
     * The total counters of a subject read now, in one statement (subscriptions read it once per
     * coalesced update, without a request's DataLoader cache).
     */
    async totals(scope: CounterScope, subjectId: string): Promise<StatsView> {
      const rows = await sql.query<{
        impressions: string;
        conversions: string;
        units: string;
        position: string;
        updated_at: Date;
        revenue: Record<string, string> | null;
      }>(
        `SELECT c.impressions, c.conversions, c.units, c.position, c.updated_at,
                (SELECT jsonb_object_agg(r.currency, r.amount_minor::text) FROM tracking_revenue r
                  WHERE r.scope = c.scope AND r.subject_id = c.subject_id AND r.dimension = 'total' AND r.key = '') AS revenue
         FROM tracking_counters c WHERE c.scope = $1 AND c.subject_id = $2 AND c.dimension = 'total' AND c.key = ''`,
        [scope, subjectId],
      );
      const [row] = rows;
      if (!row) return emptyStats(scope, subjectId);
      return {
        scope,
        subjectId,
        dimension: 'total',
        key: '',
        impressions: Number(row.impressions),
        conversions: Number(row.conversions),
        units: Number(row.units),
        revenue: Object.fromEntries(Object.entries(row.revenue ?? {}).map(([currency, minor]) => [currency, Number(minor)])),
        position: String(row.position),
        updatedAt: row.updated_at instanceof Date ? row.updated_at : new Date(row.updated_at),
      };
    },
  };
}

/** The UTC hour an instant falls in, as the bucket key. */
function hourFloor(at: Date): string {
  return new Date(Math.floor(at.getTime() / 3_600_000) * 3_600_000).toISOString();
}

export type TrackingQueries = ReturnType<typeof trackingQueries>;
