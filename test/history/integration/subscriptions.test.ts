import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Client } from 'graphql-ws';
import { startHistoryHarness, type HistoryHarness } from '../../support/history-harness.js';
import { untilSentinel } from '../../support/sentinel.js';
import {
  ASSESS,
  CREATE_ENTRY,
  START_ANALYSIS,
  SubscriptionProbe,
  createEntry,
  expectStrictlyIncreasing,
  ok,
  seedEntries,
  subscribeLive,
  uid,
  waitFor,
  wsClient,
} from './helpers.js';

let harness: HistoryHarness;
let client: Client;

beforeAll(async () => {
  harness = await startHistoryHarness({ history: { jobs: { progressEvery: 10 } } });
  client = wsClient(harness);
}, 300_000);

afterAll(async () => {
  await client?.dispose();
  await harness?.close();
}, 120_000);

const ENTRY_CREATED = `subscription($model: String, $after: String) {
  entryCreated(model: $model, after: $after) { position entryId model occurredAt entry { id version content model metrics { words } } }
}`;
const QUALITY_ASSESSED = `subscription($model: String, $after: String) {
  qualityAssessed(model: $model, after: $after) { position id entryId entryVersion model score assessor { name version } entry { id } }
}`;
const PROGRESS = `subscription($jobId: ID!, $after: String) {
  analysisProgress(jobId: $jobId, after: $after) { jobId status total processed assessed skipped progress position occurredAt job { id status } }
}`;

const positions = (items: ReadonlyArray<Record<string, any>>) => items.map((item) => BigInt(item.position));

/** What `probe` received before a sentinel entry of `model`, created now: a stray or repeated item would come first. */
async function beforeSentinelEntry(probe: SubscriptionProbe, model: string): Promise<Array<Record<string, any>>> {
  const id = uid('sentinel');
  return untilSentinel(
    probe.items,
    () => createEntry(harness, { id, model, content: 'The sentinel entry.' }),
    (item) => item.entryId === id,
  );
}

describe('entryCreated', () => {
  it('streams new entries of the model live, each with its position', async () => {
    const model = uid('live');
    const probe = await subscribeLive(harness, client, ENTRY_CREATED, { model });
    await createEntry(harness, { model: uid('other'), content: 'Not for this subscriber.' });
    const first = await ok(harness, CREATE_ENTRY, { input: { id: uid('a'), model, content: 'First of the model.' } });
    const second = await ok(harness, CREATE_ENTRY, { input: { id: uid('b'), model, content: 'Second one here.' } });
    const items = await probe.waitForItems(2);
    expect(items).toEqual([
      {
        position: first.createEntry.events[0].position,
        entryId: first.createEntry.entry.id,
        model,
        occurredAt: first.createEntry.entry.createdAt,
        entry: { id: first.createEntry.entry.id, version: 1, content: 'First of the model.', model, metrics: { words: 4 } },
      },
      expect.objectContaining({ position: second.createEntry.events[0].position, entryId: second.createEntry.entry.id }),
    ]);
    expect(await beforeSentinelEntry(probe, model)).toHaveLength(2);
    probe.stop();
  });

  it('resumes after a position: replays what followed it, then goes live, without gap or duplicate', async () => {
    const model = uid('resume');
    const created = [];
    for (let index = 0; index < 4; index += 1) created.push((await ok(harness, CREATE_ENTRY, { input: { model, content: `Entry ${index}.` } })).createEntry);
    const resumed = await subscribeLive(harness, client, ENTRY_CREATED, { model, after: created[1].events[0].position });
    const live = (await ok(harness, CREATE_ENTRY, { input: { model, content: 'Entry 4.' } })).createEntry;
    const items = await resumed.waitForItems(3);
    expect(items.map((item) => item.entryId)).toEqual([created[2].entry.id, created[3].entry.id, live.entry.id]);
    expectStrictlyIncreasing(positions(items));
    expect(await beforeSentinelEntry(resumed, model)).toHaveLength(3);
    resumed.stop();
  });

  it('refuses an unknown resume position', async () => {
    const probe = new SubscriptionProbe(client, ENTRY_CREATED, { after: '999999999' });
    await waitFor(() => probe.errors.length > 0, 'the error');
    expect(probe.errors[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT' } });
  });
});

describe('qualityAssessed', () => {
  it('streams assessments of the model live and resumes after a position', async () => {
    const model = uid('q');
    const entry = await createEntry(harness, { model, content: 'A calm, clear, useful answer about lamps.' });
    const probe = await subscribeLive(harness, client, QUALITY_ASSESSED, { model });
    const first = (await ok(harness, ASSESS, { input: { entryId: entry.id } })).assessQuality;
    const second = (await ok(harness, ASSESS, { input: { entryId: entry.id } })).assessQuality;
    const items = await probe.waitForItems(2);
    expect(items[0]).toEqual({
      position: first.events[0].position,
      id: first.assessment.id,
      entryId: entry.id,
      entryVersion: 1,
      model,
      score: first.assessment.score,
      assessor: { name: 'heuristic', version: '1.0.0' },
      entry: { id: entry.id },
    });
    expect(items[1]!.id).toBe(second.assessment.id);
    probe.stop();

    const third = (await ok(harness, ASSESS, { input: { entryId: entry.id } })).assessQuality;
    const resumed = await subscribeLive(harness, client, QUALITY_ASSESSED, { model, after: first.events[0].position });
    expect((await resumed.waitForItems(2)).map((item) => item.id)).toEqual([second.assessment.id, third.assessment.id]);
    resumed.stop();
  });
});

describe('analysisProgress', () => {
  async function startJob(model: string, count: number) {
    await seedEntries(
      harness,
      Array.from({ length: count }, (_, index) => ({ id: `${model}-${String(index).padStart(3, '0')}`, model, content: `Entry ${index} text.` })),
    );
    return (await ok(harness, START_ANALYSIS, { input: { id: uid('job'), filter: { model } } })).startAnalysis;
  }

  it('streams a job from its current state to completion, then completes', async () => {
    const model = uid('job');
    await seedEntries(
      harness,
      Array.from({ length: 45 }, (_, index) => ({ id: `${model}-${String(index).padStart(3, '0')}`, model, content: `Entry ${index} text.` })),
    );
    await harness.runner.stop();
    const { startAnalysis } = await ok(harness, START_ANALYSIS, { input: { id: uid('job'), filter: { model } } });
    const probe = new SubscriptionProbe(client, PROGRESS, { jobId: startAnalysis.job.id });
    await probe.waitForItems(1);
    harness.runner.start();
    const items = await probe.waitForCompletion();
    expect(items[0]).toMatchObject({ status: 'RUNNING', processed: 0, total: 45, progress: 0, position: startAnalysis.events[0].position });
    expect(items.map((item) => item.processed)).toEqual([0, 10, 20, 30, 40, 45, 45]);
    expect(items.at(-1)).toMatchObject({
      status: 'COMPLETED',
      processed: 45,
      assessed: 45,
      skipped: 0,
      progress: 1,
      job: { id: startAnalysis.job.id, status: 'COMPLETED' },
    });
    expectStrictlyIncreasing(positions(items));
  });

  it('replays after a position, and a finished job gives its final state at once', async () => {
    const { job, events } = await startJob(uid('replay'), 12);
    await waitFor(
      async () => (await ok(harness, `query($id: ID!) { analysisJob(id: $id) { status } }`, { id: job.id })).analysisJob.status === 'COMPLETED',
      'the job',
    );
    const replay = await new SubscriptionProbe(client, PROGRESS, { jobId: job.id, after: events[0].position }).waitForCompletion();
    expect(replay.map((item) => [item.status, item.processed])).toEqual([
      ['RUNNING', 10],
      ['RUNNING', 12],
      ['COMPLETED', 12],
    ]);
    const snapshot = await new SubscriptionProbe(client, PROGRESS, { jobId: job.id }).waitForCompletion();
    expect(snapshot).toEqual([expect.objectContaining({ status: 'COMPLETED', processed: 12, position: replay.at(-1)!.position })]);
    const past = new SubscriptionProbe(client, PROGRESS, { jobId: job.id, after: replay.at(-1)!.position });
    expect(await past.waitForCompletion()).toEqual([]);
  });

  it('an unknown job is NOT_FOUND', async () => {
    const probe = new SubscriptionProbe(client, PROGRESS, { jobId: 'no-such-job' });
    await waitFor(() => probe.errors.length > 0, 'the error');
    expect(probe.errors[0]).toMatchObject({ extensions: { code: 'NOT_FOUND' } });
  });
});
