import type { RecordedEvent } from '../../shared/event-store/contract.js';
import { notFound } from '../../shared/errors/codes.js';
import { mapAsync } from '../../shared/live/live-events.js';
import {
  ANALYSIS_CATEGORY,
  ANALYSIS_EVENTS,
  ENTRY_CATEGORY,
  ENTRY_EVENTS,
  analysisStreamId,
  type AnalysisEvent,
  type AnalysisStatus,
} from '../domain/index.js';
import { freshItem } from '../../shared/graphql/request-loaders.js';
import type { ItemSubscriptions } from '../../shared/graphql/subscriptions.js';
import type { HistoryContext } from '../context.js';
import { assessmentRowOf, evolveEntryProjection, initialEntryProjection } from '../projections/index.js';
import type { AnalysisJobRow, EntryRow } from '../read-models/rows.js';
import { jobProgress } from './entities.js';
import type { SubscriptionResolvers } from './resolvers-types.generated.js';

/** One item of `entryCreated`: the entry as its EntryCreated event made it. */
export interface EntryCreatedItem {
  readonly position: string;
  readonly entryId: string;
  readonly model: string;
  readonly occurredAt: Date;
  readonly entry: EntryRow;
}

/** One item of `analysisProgress`. */
export interface AnalysisProgressItem {
  readonly jobId: string;
  readonly status: AnalysisStatus;
  readonly total: number;
  readonly processed: number;
  readonly assessed: number;
  readonly skipped: number;
  readonly progress: number;
  readonly position: string;
  readonly occurredAt: Date;
}

const isTerminal = (status: AnalysisStatus) => status !== 'RUNNING';

function itemOfJob(job: AnalysisJobRow): AnalysisProgressItem {
  return {
    jobId: job.id,
    status: job.status,
    total: job.total,
    processed: job.processed,
    assessed: job.assessed,
    skipped: job.skipped,
    progress: jobProgress(job),
    position: job.position,
    occurredAt: job.updatedAt,
  };
}

/** The progress item an analysis event stands for. */
export function itemOfEvent(event: RecordedEvent<AnalysisEvent>): AnalysisProgressItem | undefined {
  const base = { position: event.position, occurredAt: event.occurredAt, jobId: event.data.jobId };
  const counters = (status: AnalysisStatus, data: { total: number; processed: number; assessed: number; skipped: number }) => ({
    ...base,
    status,
    total: data.total,
    processed: data.processed,
    assessed: data.assessed,
    skipped: data.skipped,
    progress: jobProgress({ status, total: data.total, processed: data.processed }),
  });
  switch (event.type) {
    case 'AnalysisStarted':
      return counters('RUNNING', { total: event.data.total, processed: 0, assessed: 0, skipped: 0 });
    case 'AnalysisProgressed':
      return counters('RUNNING', event.data);
    case 'AnalysisCompleted':
      return counters('COMPLETED', event.data);
    case 'AnalysisFailed':
      return counters('FAILED', event.data);
    default:
      return undefined;
  }
}

/**
 * `initial` items, then the mapped live events, ending after the first terminal item (the job
 * completed or failed). Closing it closes the live source.
 */
function progressStream(
  initial: readonly AnalysisProgressItem[],
  source: AsyncIterableIterator<RecordedEvent<AnalysisEvent>> | undefined,
): AsyncIterableIterator<AnalysisProgressItem> {
  const queue = [...initial];
  let finished = false;
  const finish = async () => {
    finished = true;
    await source?.return?.();
  };
  const iterator: AsyncIterableIterator<AnalysisProgressItem> = {
    async next() {
      const queued = queue.shift();
      if (queued) {
        if (isTerminal(queued.status)) await finish();
        return { value: queued, done: false };
      }
      if (finished || !source) {
        await finish();
        return { value: undefined, done: true };
      }
      for (;;) {
        const result = await source.next();
        if (result.done) {
          finished = true;
          return { value: undefined, done: true };
        }
        const item = itemOfEvent(result.value);
        if (!item) continue;
        if (isTerminal(item.status)) await finish();
        return { value: item, done: false };
      }
    },
    async return() {
      await finish();
      return { value: undefined, done: true };
    },
    [Symbol.asyncIterator]() {
      return iterator;
    },
  };
  return iterator;
}

/**
 * Subscription resolvers. Each streamed item carries its global `position`, and `after` resumes:
 * replay from the store after that position, then live, without gaps or duplicates.
 */
export const subscriptionResolvers: ItemSubscriptions<SubscriptionResolvers, HistoryContext> = {
  entryCreated: {
    subscribe: async (_, args, ctx) => {
      const events = await ctx.platform.live({
        categories: [ENTRY_CATEGORY],
        after: args.after ?? null,
        events: ENTRY_EVENTS.only('EntryCreated'),
        filter: (event) => args.model == null || event.data.model === args.model,
      });
      return mapAsync(events, (event): EntryCreatedItem | undefined => {
        const entry = evolveEntryProjection(initialEntryProjection(), event).entry;
        return entry && { position: event.position, entryId: entry.id, model: entry.model, occurredAt: event.occurredAt, entry };
      });
    },
    resolve: freshItem,
  },
  qualityAssessed: {
    subscribe: async (_, args, ctx) => {
      const events = await ctx.platform.live({
        categories: [ENTRY_CATEGORY],
        after: args.after ?? null,
        events: ENTRY_EVENTS.only('QualityAssessed'),
        filter: (event) => args.model == null || event.data.model === args.model,
      });
      return mapAsync(events, (event) => assessmentRowOf(event));
    },
    resolve: freshItem,
  },
  analysisProgress: {
    subscribe: async (_, args, ctx) => {
      const job = await ctx.platform.db.kysely.selectFrom('historyAnalysisJobs').selectAll().where('id', '=', args.jobId).executeTakeFirst();
      if (!job) throw notFound('analysis job', args.jobId);
      const streamId = analysisStreamId(args.jobId);
      if (args.after == null) {
        // The current state first; then everything after it.
        const snapshot = itemOfJob(job);
        if (isTerminal(job.status)) return progressStream([snapshot], undefined);
        const events = await ctx.platform.live({
          categories: [ANALYSIS_CATEGORY],
          after: job.position,
          events: ANALYSIS_EVENTS,
          filter: (event) => event.streamId === streamId,
        });
        return progressStream([snapshot], events);
      }
      if (/^\d+$/.test(args.after) && isTerminal(job.status) && BigInt(args.after) >= BigInt(job.position)) {
        return progressStream([], undefined);
      }
      const events = await ctx.platform.live({
        categories: [ANALYSIS_CATEGORY],
        after: args.after,
        events: ANALYSIS_EVENTS,
        filter: (event) => event.streamId === streamId,
      });
      return progressStream([], events);
    },
    resolve: freshItem,
  },
};
