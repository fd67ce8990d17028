import type { GraphQLCall } from './client.js';
import type { SeedProgress } from './progress.js';
import {
  ANALYSIS_JOB_ID,
  CAMPAIGNS,
  MODELS,
  PRODUCTS,
  campaignId,
  comparisonId,
  creativeId,
  creativeText,
  descriptionId,
  descriptionText,
  productId,
  revisedCreativeText,
} from './world.js';

/** What the history phase did. */
export interface HistorySeedReport {
  readonly entries: number;
  readonly assessments: number;
  readonly comparisons: number;
  readonly analysisJob: { readonly id: string; readonly status: string; readonly processed: number; readonly total: number };
}

export interface HistorySeedOptions {
  /** How long to wait for the analysis job to finish (ms); 0 starts it without waiting. */
  readonly analysisTimeoutMs: number;
}

const CREATE_ENTRY = `mutation SeedEntry($input: CreateEntryInput!) { createEntry(input: $input) { replayed } }`;

/**
 * Creatives of every campaign (one per model; the first model's revised to a version 2),
 * generated product descriptions, an assessment of each, a comparison per campaign and an
 * analysis job over the creatives. Every command has an id or idempotency key: a rerun replays.
 */
export async function seedHistory(call: GraphQLCall, options: HistorySeedOptions, progress: SeedProgress): Promise<HistorySeedReport> {
  const creatives = CAMPAIGNS.flatMap((spec, campaign) => MODELS.map((model, index) => ({ campaign, product: spec.product, model, index })));
  const entryIds = [...creatives.map((creative) => creativeId(creative.campaign, creative.index)), ...PRODUCTS.map((_, product) => descriptionId(product))];
  const phase = progress.phase('history', creatives.length + CAMPAIGNS.length + PRODUCTS.length + entryIds.length + CAMPAIGNS.length, 'commands');

  for (const creative of creatives) {
    const id = creativeId(creative.campaign, creative.index);
    await call(CREATE_ENTRY, {
      input: {
        id,
        model: creative.model,
        prompt: `Write a short social media post for the campaign "${CAMPAIGNS[creative.campaign]!.name}".`,
        content: creativeText(creative.product, creative.index),
        subject: { type: 'CAMPAIGN', id: campaignId(creative.campaign) },
        idempotencyKey: `seed:entry:${id}`,
      },
    });
    phase.advance(1, id);
  }
  for (let campaign = 0; campaign < CAMPAIGNS.length; campaign += 1) {
    const id = creativeId(campaign, 0);
    await call(`mutation SeedRevision($input: UpdateEntryInput!) { updateEntry(input: $input) { replayed } }`, {
      input: { id, content: revisedCreativeText(CAMPAIGNS[campaign]!.product, 0), idempotencyKey: `seed:revise:${id}` },
    });
    phase.advance(1, id);
  }
  for (const [product, [name]] of PRODUCTS.entries()) {
    const id = descriptionId(product);
    await call(CREATE_ENTRY, {
      input: {
        id,
        model: MODELS[product % MODELS.length],
        prompt: `Describe the product "${name}" for the web shop.`,
        content: descriptionText(product),
        subject: { type: 'PRODUCT', id: productId(product) },
        idempotencyKey: `seed:entry:${id}`,
      },
    });
    phase.advance(1, id);
  }
  let assessments = 0;
  for (const id of entryIds) {
    await call(`mutation SeedAssessment($input: AssessQualityInput!) { assessQuality(input: $input) { replayed } }`, {
      input: { entryId: id, idempotencyKey: `seed:assess:${id}` },
    });
    assessments += 1;
    phase.advance(1, id);
  }
  for (let campaign = 0; campaign < CAMPAIGNS.length; campaign += 1) {
    // Version 1 of the first model's creative (before its revision) against the last model's.
    await call(`mutation SeedComparison($input: CompareEntriesInput!) { compareEntries(input: $input) { replayed } }`, {
      input: {
        id: comparisonId(campaign),
        leftId: creativeId(campaign, 0),
        leftVersion: 1,
        rightId: creativeId(campaign, MODELS.length - 1),
        idempotencyKey: `seed:compare:${campaign + 1}`,
      },
    });
    phase.advance(1, comparisonId(campaign));
  }
  phase.finish();

  const analysisJob = await runAnalysis(call, options, progress);
  return { entries: entryIds.length, assessments, comparisons: CAMPAIGNS.length, analysisJob };
}

interface JobState {
  readonly id: string;
  readonly status: string;
  readonly processed: number;
  readonly total: number;
}

/** Starts (or, on a rerun, finds) the analysis job of every creative and follows its progress. */
async function runAnalysis(call: GraphQLCall, options: HistorySeedOptions, progress: SeedProgress): Promise<JobState> {
  const started = await call<{ startAnalysis: { job: JobState } }>(
    `mutation SeedAnalysis($input: StartAnalysisInput!) { startAnalysis(input: $input) { job { id status processed total } } }`,
    { input: { id: ANALYSIS_JOB_ID, filter: { subjectType: 'CAMPAIGN' }, idempotencyKey: 'seed:analysis:1' } },
  );
  let job = started.startAnalysis.job;
  const phase = progress.phase('analysis', job.total, 'entries');
  let shown = 0;
  const deadline = Date.now() + options.analysisTimeoutMs;
  for (;;) {
    phase.advance(job.processed - shown);
    shown = job.processed;
    if (job.status !== 'RUNNING' || Date.now() >= deadline) break;
    await new Promise((resolve) => setTimeout(resolve, 100));
    const read = await call<{ analysisJob: JobState | null }>(`query SeedAnalysisJob($id: ID!) { analysisJob(id: $id) { id status processed total } }`, {
      id: ANALYSIS_JOB_ID,
    });
    if (!read.analysisJob) break;
    job = read.analysisJob;
  }
  phase.finish();
  return job;
}
