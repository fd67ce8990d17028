import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { createHistoryPlugins } from '../../../subgraphs/history/config.js';
import { AnalysisRunner, analysisIdempotencyKey } from '../../../subgraphs/history/jobs/analysis-runner.js';
import { JobLeases } from '../../../subgraphs/history/jobs/leases.js';
import { startHistoryHarness, type HistoryHarness } from '../../support/history-harness.js';
import { START_ANALYSIS, fails, ok, seedEntries, sleep, uid, waitFor } from './helpers.js';

let harness: HistoryHarness;
const logger = pino({ level: 'silent' });
const metadata = { correlationId: 'analysis-jobs-test' };

beforeAll(async () => {
  harness = await startHistoryHarness({ history: { jobs: { progressEvery: 10 } } });
}, 300_000);

afterAll(async () => {
  await harness?.close();
}, 120_000);

const JOB = `query($id: ID!) { analysisJob(id: $id) { id status total processed assessed skipped progress error assessor { name } filter { model subjectType subjectId } } }`;

async function job(id: string) {
  return (await ok(harness, JOB, { id })).analysisJob;
}

async function untilFinished(id: string) {
  await waitFor(async () => (await job(id))?.status !== 'RUNNING', `job ${id} to finish`, 60_000);
  return job(id);
}

async function seed(model: string, count: number, subject?: { type: 'CAMPAIGN' | 'PRODUCT'; id: string }): Promise<string[]> {
  const ids = Array.from({ length: count }, (_, index) => `${model}-${String(index).padStart(3, '0')}`);
  await seedEntries(
    harness,
    ids.map((id, index) => ({ id, model, content: `Entry ${index}: a fine and useful answer.`, subject: subject ?? null })),
  );
  return ids;
}

/** Assessments per entry made by a job, from the event log. */
async function assessmentsByJob(jobId: string): Promise<Map<string, number>> {
  const rows = await harness.platform.db.sql.query<{ entry_id: string; count: string }>(
    `SELECT data->>'entryId' AS entry_id, count(*)::text AS count FROM events WHERE type = 'QualityAssessed' AND data->>'jobId' = $1 GROUP BY 1`,
    [jobId],
  );
  return new Map(rows.map((row) => [row.entry_id, Number(row.count)]));
}

function extraRunner(owner: string, options: { leaseMs?: number; plugins?: ReturnType<typeof createHistoryPlugins> } = {}): AnalysisRunner {
  return new AnalysisRunner({
    platform: harness.platform,
    commands: harness.commands,
    plugins: options.plugins ?? createHistoryPlugins({ config: {} }),
    logger,
    owner,
    pollIntervalMs: 50,
    progressEvery: 10,
    ...(options.leaseMs ? { leaseMs: options.leaseMs } : {}),
  });
}

describe('startAnalysis', () => {
  it('assesses exactly the entries matching the filter, in the background', async () => {
    const model = uid('filter');
    const campaign = uid('camp');
    const inCampaign = await seed(`${model}-in`, 15, { type: 'CAMPAIGN', id: campaign });
    const otherCampaign = await seed(`${model}-out`, 5, { type: 'CAMPAIGN', id: uid('other') });
    const { startAnalysis } = await ok(harness, START_ANALYSIS, { input: { filter: { subjectType: 'CAMPAIGN', subjectId: campaign } } });
    expect(startAnalysis.job).toMatchObject({ status: 'RUNNING', total: 15, processed: 0, assessor: { name: 'heuristic', version: '1.0.0' } });
    expect(startAnalysis.events.map((event: { type: string }) => event.type)).toEqual(['AnalysisStarted']);
    const finished = await untilFinished(startAnalysis.job.id);
    expect(finished).toMatchObject({
      status: 'COMPLETED',
      total: 15,
      processed: 15,
      assessed: 15,
      skipped: 0,
      progress: 1,
      filter: { subjectType: 'CAMPAIGN', subjectId: campaign },
    });
    const assessed = await assessmentsByJob(startAnalysis.job.id);
    expect([...assessed.keys()].sort()).toEqual(inCampaign);
    expect([...assessed.values()].every((count) => count === 1)).toBe(true);
    expect(otherCampaign.some((id) => assessed.has(id))).toBe(false);
    const [latest] = await harness.platform.db.sql.query<{ job_id: string }>(
      'SELECT a.job_id FROM history_entries e JOIN history_assessments a ON a.id = e.latest_assessment_id WHERE e.id = $1',
      [inCampaign[0]],
    );
    expect(latest!.job_id).toBe(startAnalysis.job.id);
  });

  it('an empty job completes with progress 1', async () => {
    const { startAnalysis } = await ok(harness, START_ANALYSIS, { input: { filter: { model: uid('nobody') } } });
    expect(startAnalysis.job.total).toBe(0);
    expect(await untilFinished(startAnalysis.job.id)).toMatchObject({ status: 'COMPLETED', processed: 0, progress: 1 });
  });

  it('is idempotent by key and refuses unknown assessors and bad filters', async () => {
    const input = { filter: { model: uid('none') }, idempotencyKey: uid('key') };
    const first = (await ok(harness, START_ANALYSIS, { input })).startAnalysis;
    const again = (await ok(harness, START_ANALYSIS, { input })).startAnalysis;
    expect(again).toMatchObject({ replayed: true, job: { id: first.job.id } });
    const unknown = await fails(harness, 'BAD_USER_INPUT', START_ANALYSIS, { input: { assessor: 'oracle' } });
    expect(unknown.extensions).toMatchObject({ reason: 'UNKNOWN_ASSESSOR' });
    const bad = await fails(harness, 'BAD_USER_INPUT', START_ANALYSIS, {
      input: { filter: { createdAfter: '2026-02-01T00:00:00Z', createdBefore: '2026-01-01T00:00:00Z' } },
    });
    expect(bad.extensions).toMatchObject({ field: 'filter.createdAfter' });
  });
});

describe('the job runner', () => {
  it('covers the entries that existed at the start: later ones are left out, deleted ones skipped', async () => {
    const model = uid('snapshot');
    const ids = await seed(model, 12);
    await ok(harness, `mutation($id: ID!) { deleteEntry(input: { id: $id }) { entry { id } } }`, { id: ids[0] });
    await harness.runner.stop();
    try {
      const { startAnalysis } = await ok(harness, START_ANALYSIS, { input: { filter: { model } } });
      expect(startAnalysis.job.total).toBe(11);
      // After the start: one more entry (not part of the job) and two deletions (skipped).
      await harness.commands.createEntry({ id: `${model}-999`, model, content: 'Too late for the job.' }, metadata);
      await harness.commands.deleteEntry({ id: ids[3]! }, metadata);
      await harness.commands.deleteEntry({ id: ids[7]! }, metadata);
      harness.runner.start();
      const finished = await untilFinished(startAnalysis.job.id);
      expect(finished).toMatchObject({ status: 'COMPLETED', total: 11, processed: 11, assessed: 9, skipped: 2, progress: 1 });
      const assessed = await assessmentsByJob(startAnalysis.job.id);
      expect([...assessed.keys()].sort()).toEqual(ids.filter((_, index) => ![0, 3, 7].includes(index)));
    } finally {
      harness.runner.start();
    }
  });

  it('after a crash between assessments and the checkpoint, the resumed job replays them instead of assessing twice', async () => {
    const model = uid('crash');
    const ids = await seed(model, 30);
    await harness.runner.stop();
    let jobId: string;
    try {
      jobId = (await ok(harness, START_ANALYSIS, { input: { filter: { model } } })).startAnalysis.job.id;
      // What a runner that died before its first checkpoint left behind: 7 assessments, no progress.
      for (const entryId of ids.slice(0, 7)) {
        await harness.commands.assessQuality({ entryId, jobId, assessor: 'heuristic', idempotencyKey: analysisIdempotencyKey(jobId, entryId) }, metadata);
      }
      expect(await job(jobId)).toMatchObject({ status: 'RUNNING', processed: 0 });
      harness.runner.start();
      expect(await untilFinished(jobId)).toMatchObject({ status: 'COMPLETED', processed: 30, assessed: 30, skipped: 0 });
    } finally {
      harness.runner.start();
    }
    const assessed = await assessmentsByJob(jobId);
    expect(assessed.size).toBe(30);
    expect([...assessed.values()].every((count) => count === 1)).toBe(true);
    const stream = await harness.platform.store.readStream(`analysis-${jobId}`);
    expect(stream.filter((event) => event.type === 'AnalysisProgressed').map((event) => (event.data as { processed: number }).processed)).toEqual([10, 20, 30]);
  });

  it('a permanent refusal (an idempotency key taken by another command) fails the job instead of retrying forever', async () => {
    const model = uid('taken');
    const ids = await seed(model, 4);
    await harness.runner.stop();
    let jobId: string;
    try {
      jobId = (await ok(harness, START_ANALYSIS, { input: { filter: { model } } })).startAnalysis.job.id;
      await harness.commands.deleteEntry({ id: ids[3]!, idempotencyKey: analysisIdempotencyKey(jobId, ids[2]!) }, metadata);
      harness.runner.start();
      const failed = await untilFinished(jobId);
      expect(failed).toMatchObject({ status: 'FAILED', processed: 0 });
      expect(failed.error).toMatch(/^IDEMPOTENCY_KEY_REUSED: /);
    } finally {
      harness.runner.start();
    }
  });

  it('two runners on one database never work on the same job at once; every entry is assessed once', async () => {
    const model = uid('pair');
    const ids = [...(await seed(`${model}-a`, 25)), ...(await seed(`${model}-b`, 25))];
    const second = extraRunner('second-runner');
    second.start();
    const owners = new Set<string>();
    const jobs: string[] = [];
    let sampling = true;
    const sampler = (async () => {
      while (sampling) {
        const rows = await harness.platform.db.sql.query<{ job_id: string; owner: string }>('SELECT job_id, owner FROM history_analysis_leases');
        for (const row of rows) if (jobs.includes(row.job_id)) owners.add(`${row.job_id} ${row.owner}`);
        expect(new Set(rows.map((row) => row.job_id)).size).toBe(rows.length);
        await sleep(5);
      }
    })();
    try {
      for (const suffix of ['a', 'b']) {
        jobs.push((await ok(harness, START_ANALYSIS, { input: { filter: { model: `${model}-${suffix}` } } })).startAnalysis.job.id);
      }
      second.wake();
      for (const id of jobs) expect(await untilFinished(id)).toMatchObject({ status: 'COMPLETED', processed: 25, assessed: 25 });
    } finally {
      sampling = false;
      await sampler;
      await second.stop();
    }
    const assessed = new Map([...(await assessmentsByJob(jobs[0]!)), ...(await assessmentsByJob(jobs[1]!))]);
    expect([...assessed.keys()].sort()).toEqual(ids.sort());
    expect([...assessed.values()].every((count) => count === 1)).toBe(true);
    const [leases] = await harness.platform.db.sql.query<{ count: string }>('SELECT count(*)::text AS count FROM history_analysis_leases');
    expect(leases!.count).toBe('0');
  });

  it('a job leased by a runner that vanished is taken over once its lease expires', async () => {
    const model = uid('orphan');
    await seed(model, 5);
    await harness.runner.stop();
    let jobId: string;
    try {
      jobId = (await ok(harness, START_ANALYSIS, { input: { filter: { model } } })).startAnalysis.job.id;
      const ghost = new JobLeases(harness.platform.db.sql, 'ghost', 1_500);
      expect(await ghost.claim(jobId)).toBe(true);
      harness.runner.start();
      // Time is the subject: about halfway through the ghost's 1.5 s lease, nobody may take the job yet.
      await sleep(700);
      expect(await job(jobId)).toMatchObject({ status: 'RUNNING', processed: 0 });
      expect((await assessmentsByJob(jobId)).size).toBe(0);
      expect(await untilFinished(jobId)).toMatchObject({ status: 'COMPLETED', processed: 5, assessed: 5 });
      expect(await ghost.renew(jobId)).toBe(false);
    } finally {
      harness.runner.start();
    }
  });

  it('fails a job whose assessor is no longer registered', async () => {
    const model = uid('gone');
    await seed(model, 3);
    await harness.runner.stop();
    const plugins = createHistoryPlugins({
      config: {},
      registry: createHistoryPlugins({ config: {} }).registry.register('assessor', {
        name: 'temporary',
        version: '0.1.0',
        assess: () => ({ score: 0.5, dimensions: [] }),
      }),
    });
    const ordinary = await harness.commands.startAnalysis({ filter: { model }, assessor: null }, metadata);
    // Start a job with the temporary assessor through commands that know it…
    const { historyCommands } = await import('../../../subgraphs/history/commands/history-commands.js');
    const { jobId } = await historyCommands(harness.platform, plugins).startAnalysis({ filter: { model }, assessor: 'temporary' }, metadata);
    // …and run it with a runner that does not.
    const runner = extraRunner('forgetful');
    runner.start();
    try {
      expect(await untilFinished(jobId)).toMatchObject({
        status: 'FAILED',
        processed: 0,
        error: 'quality assessor "temporary" is not registered',
        assessor: { name: 'temporary' },
      });
      expect(await untilFinished(ordinary.jobId)).toMatchObject({ status: 'COMPLETED', processed: 3 });
    } finally {
      await runner.stop();
      harness.runner.start();
    }
  });
});

describe('job leases', () => {
  it('one owner at a time; renewals keep it; release or expiry frees it', async () => {
    const jobId = uid('lease');
    const a = new JobLeases(harness.platform.db.sql, 'a', 60_000);
    const b = new JobLeases(harness.platform.db.sql, 'b', 60_000);
    expect(await a.claim(jobId)).toBe(true);
    expect(await b.claim(jobId)).toBe(false);
    expect(await a.claim(jobId)).toBe(true);
    expect(await a.renew(jobId)).toBe(true);
    expect(await b.renew(jobId)).toBe(false);
    expect((await a.holder(jobId))?.owner).toBe('a');
    await b.release(jobId);
    expect((await a.holder(jobId))?.owner).toBe('a');
    await a.release(jobId);
    expect(await b.claim(jobId)).toBe(true);
    const short = new JobLeases(harness.platform.db.sql, 'c', 60_000);
    await harness.platform.db.sql.query(`UPDATE history_analysis_leases SET expires_at = now() - interval '1 second' WHERE job_id = $1`, [jobId]);
    expect(await short.claim(jobId)).toBe(true);
    expect(await b.renew(jobId)).toBe(false);
    await short.release(jobId);
  });
});
