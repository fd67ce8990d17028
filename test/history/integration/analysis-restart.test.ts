import { afterEach, describe, expect, it } from 'vitest';
import { createHistoryStorage, startHistoryHarness, type HistoryHarness, type HistoryStorage } from '../../support/history-harness.js';
import { sampleText } from './corpus.js';
import { START_ANALYSIS, SubscriptionProbe, expectStrictlyIncreasing, ok, seedEntries, waitFor, wsClient } from './helpers.js';

const PROGRESS = `subscription($jobId: ID!, $after: String) {
  analysisProgress(jobId: $jobId, after: $after) { jobId status total processed assessed skipped progress position occurredAt }
}`;

interface ProgressItem {
  jobId: string;
  status: string;
  total: number;
  processed: number;
  assessed: number;
  skipped: number;
  progress: number;
  position: string;
}

let storage: HistoryStorage | undefined;
const harnesses: HistoryHarness[] = [];

afterEach(async () => {
  for (const harness of harnesses.splice(0)) await harness.close().catch(() => undefined);
  await storage?.dispose();
  storage = undefined;
});

async function seed(harness: HistoryHarness, model: string, count: number, from = 0): Promise<string[]> {
  const ids = Array.from({ length: count }, (_, index) => `${model}-e${String(from + index).padStart(5, '0')}`);
  await seedEntries(
    harness,
    ids.map((id, index) => ({ id, model, content: sampleText(from + index), prompt: 'Describe the product' })),
  );
  return ids;
}

async function jobRow(harness: HistoryHarness, jobId: string) {
  const [row] = await harness.platform.db.sql.query<{ status: string; processed: number; total: number }>(
    'SELECT status, processed, total FROM history_analysis_jobs WHERE id = $1',
    [jobId],
  );
  return row;
}

async function assessedByJob(harness: HistoryHarness, jobId: string): Promise<number> {
  const [row] = await harness.platform.db.sql.query<{ count: string }>(
    `SELECT count(*)::text AS count FROM events WHERE type = 'QualityAssessed' AND data->>'jobId' = $1`,
    [jobId],
  );
  return Number(row?.count ?? 0);
}

describe('analysis jobs across a restart', () => {
  it('a job over 1,000 entries stopped midway resumes on a new process: every entry assessed exactly once, progress monotonic', async () => {
    storage = await createHistoryStorage();
    const first = await startHistoryHarness({ storage });
    harnesses.push(first);
    const entryIds = await seed(first, 'restart-model', 1000);
    const bystanders = await seed(first, 'other-model', 20);

    const client = wsClient(first);
    const { startAnalysis } = await ok(first, START_ANALYSIS, { input: { id: 'job-restart', filter: { model: 'restart-model' } } });
    expect(startAnalysis.job).toMatchObject({ status: 'RUNNING', total: 1000, processed: 0 });
    const before = new SubscriptionProbe<ProgressItem>(client, PROGRESS, { jobId: 'job-restart', after: startAnalysis.events[0].position });

    // Let it run past a few checkpoints, then stop the whole process midway.
    await waitFor(async () => ((await jobRow(first, 'job-restart'))?.processed ?? 0) >= 300, 'the job to pass 300 entries');
    await before.waitForItems(2);
    await first.close();
    harnesses.splice(harnesses.indexOf(first), 1);
    await client.dispose();

    // Inspect the database left behind, then start a new process on it.
    const second = await startHistoryHarness({ storage });
    harnesses.push(second);
    const stopped = (await jobRow(second, 'job-restart'))!;
    const assessedBeforeRestart = await assessedByJob(second, 'job-restart');
    expect(stopped.status).toBe('RUNNING');
    expect(stopped.processed).toBeGreaterThanOrEqual(300);
    expect(stopped.processed).toBeLessThan(1000);
    expect(assessedBeforeRestart).toBeGreaterThanOrEqual(stopped.processed);
    expect(assessedBeforeRestart).toBeLessThan(1000);

    const lastSeen = before.items[before.items.length - 1]!;
    const after = new SubscriptionProbe<ProgressItem>(wsClient(second), PROGRESS, { jobId: 'job-restart', after: lastSeen.position });
    const resumed = await after.waitForCompletion(120_000);

    // Completed correctly.
    const finished = await ok(second, `query { analysisJob(id: "job-restart") { status total processed assessed skipped progress } }`);
    expect(finished.analysisJob).toEqual({ status: 'COMPLETED', total: 1000, processed: 1000, assessed: 1000, skipped: 0, progress: 1 });

    // Every entry assessed exactly once by the job (events and read model), nothing else touched.
    const perEntry = await second.platform.db.sql.query<{ entry_id: string; count: string }>(
      `SELECT data->>'entryId' AS entry_id, count(*)::text AS count FROM events
       WHERE type = 'QualityAssessed' AND data->>'jobId' = 'job-restart' GROUP BY 1 ORDER BY 1`,
    );
    expect(perEntry.map((row) => row.entry_id)).toEqual([...entryIds].sort());
    expect(perEntry.every((row) => row.count === '1')).toBe(true);
    const [readModel] = await second.platform.db.sql.query<{ rows: string; entries: string }>(
      `SELECT count(*)::text AS rows, count(DISTINCT entry_id)::text AS entries FROM history_assessments WHERE job_id = 'job-restart'`,
    );
    expect(readModel).toEqual({ rows: '1000', entries: '1000' });
    const [untouched] = await second.platform.db.sql.query<{ count: string }>(
      `SELECT count(*)::text AS count FROM history_entries WHERE id = ANY($1::text[]) AND assessment_count > 0`,
      [bystanders],
    );
    expect(untouched!.count).toBe('0');

    // Progress: the stream's checkpoints only move forward and end at 1,000.
    const stream = await second.platform.store.readStream('analysis-job-restart');
    const checkpoints = stream.filter((event) => event.type === 'AnalysisProgressed').map((event) => (event.data as { processed: number }).processed);
    for (let index = 1; index < checkpoints.length; index += 1) expect(checkpoints[index]!).toBeGreaterThan(checkpoints[index - 1]!);
    expect(checkpoints[checkpoints.length - 1]).toBe(1000);
    expect(stream[stream.length - 1]!.type).toBe('AnalysisCompleted');

    // What the subscribers saw, before and after the restart, is that same sequence without gap or repeat.
    const seen = [...before.items, ...resumed];
    expectStrictlyIncreasing(seen.map((item) => BigInt(item.position)));
    for (let index = 1; index < seen.length; index += 1) expect(seen[index]!.processed).toBeGreaterThanOrEqual(seen[index - 1]!.processed);
    expect(seen.map((item) => item.position)).toEqual(stream.slice(1).map((event) => event.position));
    expect(seen[seen.length - 1]).toMatchObject({ status: 'COMPLETED', processed: 1000, total: 1000, progress: 1 });
    expect(after.completed).toBe(true);

    // Every assessment made after the restart's checkpoint for an entry assessed before was a replay.
    const [keys] = await second.platform.db.sql.query<{ count: string }>(
      `SELECT count(*)::text AS count FROM idempotency_keys WHERE key LIKE 'analysis:job-restart:%'`,
    );
    expect(keys!.count).toBe('1000');
    const [leases] = await second.platform.db.sql.query<{ count: string }>('SELECT count(*)::text AS count FROM history_analysis_leases');
    expect(leases!.count).toBe('0');
  }, 300_000);
});
