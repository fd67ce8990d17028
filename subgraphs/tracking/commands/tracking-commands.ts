import { randomUUID } from 'node:crypto';
import type { CommandOutcome } from '../../shared/commands/handle-command.js';
import { handleCommandBatch, type BatchOutcome } from '../../shared/commands/handle-command-batch.js';
import { columnArray } from '../../shared/database/kysely/arrays.js';
import { kyselyOver } from '../../shared/database/kysely/database.js';
import { PgErrorCode, sqlState, type SqlClient } from '../../shared/database/sql.js';
import { badInput, notFound } from '../../shared/errors/codes.js';
import type { EventMetadata, RecordedEvent } from '../../shared/event-store/contract.js';
import type { Platform } from '../../shared/platform.js';
import { projectStream } from '../../shared/projections/stream-projection.js';
import {
  ACTIVITY_EVENTS,
  CAMPAIGN_EVENTS,
  INFLUENCER_EVENTS,
  MAX_IMPRESSION_BATCH,
  activityStreamId,
  campaignDecider,
  campaignStreamId,
  decideConversion,
  decideImpressions,
  influencerDecider,
  influencerStreamId,
  toMoney,
  type ActivityEvent,
  type CampaignCommand,
  type CampaignState,
  type ConversionInput,
  type ImpressionInput,
  type ImpressionRegistered,
  type Money,
  type Platform as InfluencerPlatform,
} from '../domain/index.js';
import {
  campaignProjection,
  conversionRowOf,
  impressionRowOf,
  influencerProjection,
  insertConversions,
  insertImpressions,
  projectAppendedActivity,
} from '../projections/index.js';

/** What every command input may carry besides its own fields. */
export interface CommandOptions {
  readonly expectedVersion?: number | null;
  readonly idempotencyKey?: string | null;
}

/** An instant from the API (a Date from the DateTime scalar) or a string, as ISO; undefined when absent. */
type Instant = Date | string | null | undefined;
const isoOf = (value: Instant): string | undefined => (value === null || value === undefined ? undefined : value instanceof Date ? value.toISOString() : value);

/** What an activity command did. */
export interface ActivityOutcome {
  readonly campaignId: string;
  /** Events this command appended (only newly recorded activity). */
  readonly events: RecordedEvent[];
  /** True when nothing new was recorded: every id was known. */
  readonly replayed: boolean;
}

export interface ImpressionsOutcome extends ActivityOutcome {
  /** Every distinct id of the request, in request order. */
  readonly ids: string[];
  readonly accepted: number;
  readonly duplicates: number;
}

export interface ConversionOutcome extends ActivityOutcome {
  readonly conversionId: string;
}

/** First half of the advisory lock key of a campaign's activity; the second is `hashtext(campaignId)`. */
const CAMPAIGN_ACTIVITY_LOCK = 0x6361_6d70; // "camp"

/**
 * Activity commands (shared) and lifecycle changes (exclusive) of one campaign exclude each other
 * through a transaction-level advisory lock: many batches of a campaign run together, a pause or
 * end waits for those under way, and a batch that starts after it waits for its commit and then
 * reads the new status, so no activity commits on a campaign that was paused before it. An
 * advisory lock, unlike FOR SHARE on the campaign row, gives the transaction no transaction id:
 * it gets one at its first write, and the publisher, which holds back what committed after any
 * transaction still running with an older id, waits less for batches under way.
 */
async function lockCampaignActivity(tx: SqlClient, campaignId: string, mode: 'shared' | 'exclusive'): Promise<void> {
  const lock = mode === 'shared' ? 'pg_advisory_xact_lock_shared' : 'pg_advisory_xact_lock';
  await tx.query(`SELECT ${lock}($1, hashtext($2))`, [CAMPAIGN_ACTIVITY_LOCK, campaignId]);
}

/**
 * The campaign state activity is decided against, from the campaigns read model, read after the
 * shared activity lock is held (a statement of its own: its snapshot must follow the wait), with
 * which of `influencerIds` are registered.
 */
export async function lockCampaignState(
  tx: SqlClient,
  campaignId: string,
  influencerIds: readonly string[],
): Promise<{ campaign: CampaignState; influencers: Set<string> }> {
  await lockCampaignActivity(tx, campaignId, 'shared');
  const row = await kyselyOver(tx)
    .selectFrom('campaigns')
    .select(['id', 'name', 'status', 'budgetMinor', 'budgetCurrency', 'startsAt', 'endsAt', 'productId'])
    .select((eb) =>
      eb
        .fn<string[]>('array', [
          eb
            .selectFrom('influencers')
            .select('id')
            .where('id', '=', eb.fn.any(columnArray('influencers', 'id', influencerIds))),
        ])
        .as('influencers'),
    )
    .where('id', '=', campaignId)
    .executeTakeFirst();
  if (!row) return { campaign: { created: false }, influencers: new Set() };
  const budget: Money | null =
    row.budgetMinor === null || row.budgetCurrency === null ? null : toMoney({ amountMinor: Number(row.budgetMinor), currency: row.budgetCurrency });
  return {
    campaign: {
      created: true,
      campaignId: row.id,
      name: row.name,
      status: row.status,
      budget,
      startsAt: row.startsAt.toISOString(),
      endsAt: row.endsAt === null ? null : row.endsAt.toISOString(),
      productId: row.productId,
    },
    influencers: new Set(row.influencers),
  };
}

async function existingIds(tx: SqlClient, table: 'impressions' | 'influencers' | 'conversions', ids: readonly string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const rows = await kyselyOver(tx)
    .selectFrom(table)
    .select('id')
    .where('id', '=', (eb) => eb.fn.any(columnArray(table, 'id', ids)))
    .execute();
  return new Set(rows.map((row) => row.id));
}

/**
 * Each impression command's event, in command order: a repeated id's first command has it, the
 * others and an id not claimed have none.
 */
function eachCommandsEvent(commands: readonly ImpressionInput[], events: readonly ImpressionRegistered[]): ImpressionRegistered[][] {
  const byId = new Map(events.map((event) => [event.data.impressionId, event]));
  return commands.map((command) => {
    const event = byId.get(command.impressionId);
    if (!event) return [];
    byId.delete(command.impressionId);
    return [event];
  });
}

/**
 * An id the first run of a command chose, read back from its events: a replay (same idempotency
 * key) must answer with the entity the first run created, not with a newly generated id.
 */
function idFromEvents(outcome: CommandOutcome, field: string, fallback: string): string {
  const value = (outcome.events[0]?.data as Record<string, unknown> | undefined)?.[field];
  return outcome.replayed && typeof value === 'string' ? value : fallback;
}

/**
 * `registerConversion`'s input, as the GraphQL mutation takes it: the domain command with the
 * client's `id`, an optional `occurredAt` (now when absent) and no server-side `now`.
 */
export type RegisterConversionInput = Omit<ConversionInput, 'conversionId' | 'occurredAt' | 'now'> & {
  readonly id: string;
  readonly occurredAt?: Instant;
};

/** Application service of the tracking subgraph: runs deciders, claims client ids, projects inline. */
export function trackingCommands(platform: Platform) {
  /**
   * A batch of activity commands of one campaign, through the command pipeline's batch mode (its
   * deadline, retry and failure classification). Once committed it wakes the publisher and
   * announces the campaign's new activity, so live stats need not wait for the publisher (see
   * CommitNoticeChannel).
   */
  const activityBatch = async <Command>(
    campaignId: string,
    commands: readonly Command[],
    metadata: EventMetadata,
    decide: (tx: SqlClient, commands: readonly Command[]) => Promise<ReadonlyArray<readonly ActivityEvent[]>>,
  ): Promise<BatchOutcome<ActivityEvent>> => {
    const outcome = await platform.afterCommit(
      handleCommandBatch(platform.db.sql, {
        streamId: activityStreamId(campaignId),
        events: ACTIVITY_EVENTS,
        commands,
        metadata,
        decide,
        project: (tx, appended) => projectAppendedActivity(tx, appended),
      }),
    );
    platform.announce(outcome.events);
    return outcome;
  };

  const campaignCommand = (command: CampaignCommand, metadata: EventMetadata, options: CommandOptions, idempotencyScope?: unknown) =>
    platform.execute({
      streamId: campaignStreamId(command.campaignId),
      events: CAMPAIGN_EVENTS,
      decider: campaignDecider,
      command,
      expectedVersion: options.expectedVersion,
      idempotencyKey: options.idempotencyKey,
      ...(idempotencyScope !== undefined ? { idempotencyScope } : {}),
      metadata,
      project: async (tx, stream) => {
        // Waits for the activity under way; later activity waits for this commit (see lockCampaignActivity).
        await lockCampaignActivity(tx, command.campaignId, 'exclusive');
        await projectStream(tx, campaignProjection, stream.history);
      },
    });

  const lifecycle = (type: 'PauseCampaign' | 'ResumeCampaign' | 'EndCampaign') => (input: { campaignId: string } & CommandOptions, metadata: EventMetadata) =>
    campaignCommand(
      { type, campaignId: input.campaignId, now: new Date().toISOString() },
      metadata,
      input,
      // `now` is the server's: the key stands for the client's request.
      { type, campaignId: input.campaignId },
    );

  return {
    async createCampaign(
      input: {
        id?: string | null;
        name: string;
        budget?: Money | null;
        startsAt?: Instant;
        endsAt?: Instant;
        productId?: string | null;
      } & CommandOptions,
      metadata: EventMetadata,
    ): Promise<{ campaignId: string; outcome: CommandOutcome }> {
      const campaignId = input.id ?? randomUUID();
      const outcome = await campaignCommand(
        {
          type: 'CreateCampaign',
          campaignId,
          name: input.name,
          budget: input.budget ?? null,
          startsAt: isoOf(input.startsAt) ?? new Date().toISOString(),
          endsAt: isoOf(input.endsAt) ?? null,
          productId: input.productId ?? null,
        },
        metadata,
        { idempotencyKey: input.idempotencyKey },
        {
          type: 'CreateCampaign',
          id: input.id ?? null,
          name: input.name,
          budget: input.budget ?? null,
          startsAt: isoOf(input.startsAt) ?? null,
          endsAt: isoOf(input.endsAt) ?? null,
          productId: input.productId ?? null,
        },
      );
      return { campaignId: idFromEvents(outcome, 'campaignId', campaignId), outcome };
    },

    pauseCampaign: lifecycle('PauseCampaign'),
    resumeCampaign: lifecycle('ResumeCampaign'),
    endCampaign: lifecycle('EndCampaign'),

    async registerInfluencer(
      input: { id?: string | null; handle: string; platform: InfluencerPlatform } & CommandOptions,
      metadata: EventMetadata,
    ): Promise<{ influencerId: string; outcome: CommandOutcome }> {
      const influencerId = input.id ?? randomUUID();
      const outcome = await platform.execute({
        streamId: influencerStreamId(influencerId),
        events: INFLUENCER_EVENTS,
        decider: influencerDecider,
        command: { type: 'RegisterInfluencer', influencerId, handle: input.handle, platform: input.platform },
        idempotencyKey: input.idempotencyKey,
        idempotencyScope: { type: 'RegisterInfluencer', id: input.id ?? null, handle: input.handle, platform: input.platform },
        metadata,
        project: async (tx, stream) => {
          try {
            await tx.transaction((step) => projectStream(step, influencerProjection, stream.history));
          } catch (error) {
            if (sqlState(error) === PgErrorCode.UNIQUE_VIOLATION) {
              throw badInput(`handle ${input.handle} is already registered on ${input.platform}`, 'handle');
            }
            throw error;
          }
        },
      });
      return { influencerId: idFromEvents(outcome, 'influencerId', influencerId), outcome };
    },

    /**
     * Records a batch of impressions of one campaign in one transaction: the batch is decided against
     * the campaign, claimed in the impressions table (ON CONFLICT DO NOTHING: ids recorded before,
     * also by a concurrent batch, are skipped and keep their original), the new ones appended in one
     * statement and counted. A handful of statements whatever the batch size.
     */
    async registerImpressions(
      input: {
        campaignId: string;
        impressions: ReadonlyArray<{ id: string; influencerId: string; occurredAt?: Instant }>;
      },
      metadata: EventMetadata,
    ): Promise<ImpressionsOutcome> {
      if (input.impressions.length > MAX_IMPRESSION_BATCH) {
        throw badInput(`a batch may hold at most ${MAX_IMPRESSION_BATCH} impressions, got ${input.impressions.length}`, 'impressions');
      }
      const now = new Date().toISOString();
      const commands: ImpressionInput[] = input.impressions.map((impression) => ({
        campaignId: input.campaignId,
        impressionId: impression.id,
        influencerId: impression.influencerId,
        occurredAt: isoOf(impression.occurredAt) ?? now,
        now,
      }));
      const ids = [...new Set(commands.map((command) => command.impressionId))];
      const base = { campaignId: input.campaignId, ids };
      if (commands.length === 0) return { ...base, events: [], replayed: false, accepted: 0, duplicates: 0 };

      const { events } = await activityBatch(input.campaignId, commands, metadata, async (tx, batch) => {
        const { campaign, influencers } = await lockCampaignState(tx, input.campaignId, [...new Set(batch.map((command) => command.influencerId))]);
        if (!campaign.created) throw notFound('campaign', input.campaignId);
        const influencerExists = (id: string) => influencers.has(id);
        let decided: ImpressionRegistered[];
        try {
          decided = decideImpressions(campaign, influencerExists, batch);
        } catch (error) {
          // Perhaps a retry of impressions recorded before the campaign was paused or ended: ids
          // already recorded keep their original and are not decided again; the rest must pass.
          const known = await existingIds(tx, 'impressions', ids);
          const fresh = batch.filter((command) => !known.has(command.impressionId));
          if (fresh.length === batch.length) throw error;
          decided = fresh.length === 0 ? [] : decideImpressions(campaign, influencerExists, fresh);
        }
        // Ids recorded earlier, or by a concurrent batch that committed first, are not claimed.
        const claimed =
          decided.length === 0
            ? new Set<string>()
            : await insertImpressions(
                tx,
                decided.map((event) => impressionRowOf(event.data)),
              );
        return eachCommandsEvent(
          batch,
          decided.filter((event) => claimed.has(event.data.impressionId)),
        );
      });
      return {
        ...base,
        events,
        replayed: events.length === 0,
        accepted: events.length,
        duplicates: commands.length - events.length,
      };
    },

    /**
     * Records one conversion. A known id returns the original; otherwise it is decided against the
     * campaign (a missing productId defaults to the campaign's product), claimed, appended, counted.
     */
    async registerConversion(input: RegisterConversionInput, metadata: EventMetadata): Promise<ConversionOutcome> {
      const now = new Date().toISOString();
      const base = { campaignId: input.campaignId, conversionId: input.id };
      const { events } = await activityBatch(input.campaignId, [input], metadata, async (tx) => {
        if ((await existingIds(tx, 'conversions', [input.id])).size > 0) return [[]];
        const { campaign, influencers } = await lockCampaignState(tx, input.campaignId, [input.influencerId]);
        const influencerKnown = influencers.has(input.influencerId);
        let impression: { campaignId: string; influencerId: string } | undefined;
        if (input.impressionId != null) {
          impression = await kyselyOver(tx)
            .selectFrom('impressions')
            .select(['campaignId', 'influencerId'])
            .where('id', '=', input.impressionId)
            .executeTakeFirst();
        }
        const decided = decideConversion(
          campaign,
          () => influencerKnown,
          () => impression,
          {
            campaignId: input.campaignId,
            conversionId: input.id,
            influencerId: input.influencerId,
            value: input.value,
            impressionId: input.impressionId ?? null,
            productId: input.productId ?? (campaign.created ? campaign.productId : null),
            storeId: input.storeId ?? null,
            quantity: input.quantity ?? null,
            occurredAt: isoOf(input.occurredAt) ?? now,
            now,
          },
        );
        // A concurrent first run that committed first keeps the id.
        const claimed = await insertConversions(tx, [conversionRowOf(decided.data, '0')]);
        return [claimed.size === 0 ? [] : [decided]];
      });
      return { ...base, events, replayed: events.length === 0 };
    },
  };
}

export type TrackingCommands = ReturnType<typeof trackingCommands>;
