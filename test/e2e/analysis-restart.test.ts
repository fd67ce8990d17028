import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { subgraphRegistry } from '../../subgraphs/registry.js';
import { startSubgraphServer } from '../../subgraphs/shared/server/subgraph-server.js';
import { collect, eventually, gql, wsClient } from '../support/graphql-clients.js';
import { startFullStack, type FullStack } from '../support/full-stack.js';
import { silentLogger } from '../support/router-harness.js';
import { bearer, subgraphTrust } from '../support/security.js';

const ENTRIES = 1000;
let stack: FullStack;

beforeAll(async () => {
  stack = await startFullStack();
  // 1,000 entries through the router, 50 per request.
  // 20 entries a mutation: as many root fields as an operation may have.
  for (let batch = 0; batch < ENTRIES / 20; batch += 1) {
    const fields = Array.from({ length: 20 }, (_, index) => {
      const n = batch * 20 + index;
      const content = `Entry ${n}: a calm green tea for slow mornings. ${'Fresh leaves, bright cup. '.repeat(1 + (n % 5))}`;
      return `e${n}: createEntry(input: { id: "entry-${n}", model: "model-${n % 3}", content: ${JSON.stringify(content)} }) { entry { id } }`;
    });
    const result = await gql(stack.router.url, `mutation { ${fields.join('\n')} }`, {}, await bearer());
    expect(result.errors).toBeUndefined();
  }
}, 300_000);

afterAll(async () => {
  await stack?.close();
});

describe('an analysis job through the router', () => {
  it('streams progress to a subscriber and finishes correctly across a restart of the history subgraph midway', { timeout: 240_000 }, async () => {
    const started = await gql(stack.router.url, 'mutation { startAnalysis(input: { id: "job-1" }) { job { id total } } }', {}, await bearer());
    expect(started.errors).toBeUndefined();
    expect(started.data!.startAnalysis.job.total).toBe(ENTRIES);

    const client = wsClient(stack.router.wsUrl);
    const stream = collect(client, 'subscription { analysisProgress(jobId: "job-1") { status processed total position } }');
    const processed = () => stream.results.map((result) => result.data?.analysisProgress?.processed as number);
    await eventually(() => processed().some((count) => count >= 200), 120_000, 'the job to be under way');

    // Restart the history subgraph while the job runs: the runner stops, a new one resumes it.
    const index = stack.subgraphs.findIndex((subgraph) => subgraph.name === 'history');
    const history = stack.subgraphs[index]!;
    const port = Number(new URL(history.url).port);
    await history.close();
    const entry = subgraphRegistry.find((candidate) => candidate.name === 'history')!;
    stack.subgraphs[index] = await startSubgraphServer(entry.create(stack.platform), { port, logger: silentLogger, trust: subgraphTrust });

    await eventually(() => stream.results.some((result) => result.data?.analysisProgress?.status === 'COMPLETED'), 180_000, 'the job to complete');
    expect(stream.errors).toEqual([]);
    const counts = processed();
    // Progress never goes backwards and ends at every entry.
    for (let step = 1; step < counts.length; step += 1) expect(counts[step]!).toBeGreaterThanOrEqual(counts[step - 1]!);
    expect(counts.at(-1)).toBe(ENTRIES);

    const job = await gql(stack.router.url, '{ analysisJob(id: "job-1") { status processed assessed skipped } }');
    expect(job.data!.analysisJob).toEqual({ status: 'COMPLETED', processed: ENTRIES, assessed: ENTRIES, skipped: 0 });
    // Every entry assessed exactly once, whatever the restart interrupted.
    const [row] = await stack.database.database.sql.query<{ events: string; entries: string }>(
      `SELECT count(*)::text AS events, count(DISTINCT stream_id)::text AS entries FROM events WHERE type = 'QualityAssessed'`,
    );
    expect(row).toEqual({ events: String(ENTRIES), entries: String(ENTRIES) });
    stream.dispose();
    await client.dispose();
  });
});
