/**
 * History subgraph: throughput of an analysis job over 1,000 entries, next to a baseline in the same
 * run (the pure assessor over the same texts, without storage), the latency of comparing two
 * 10 KB texts (the pure comparison, and the whole compareEntries command with its storage), and
 * the edit distance of two unrelated 100 KB texts, exact and with its bounded work, and
 * comparisons of 100 KB texts run all at once with the analyzers on the analysis threads against
 * the same commands with them on the event loop (`threads: 0`): comparisons per second and the
 * event-loop lag while they run (`perf_hooks.monitorEventLoopDelay`).
 *
 *   npx tsx bench/history-analysis.ts                       # PGlite
 *   DATABASE_URL=postgresql://postgres@127.0.0.1:5432/postgres npx tsx bench/history-analysis.ts   # PostgreSQL and PGlite
 *
 * The job runs exactly as in production: startAnalysis appends AnalysisStarted, the subgraph's
 * AnalysisRunner claims the job's lease, assesses every entry with one command each (idempotency
 * key, decider, append, inline projections incl. the analytics delta), checkpoints every 25, and
 * completes. The time is from the start command to the commit of AnalysisCompleted (seen live).
 *
 * Env: BENCH_ENTRIES (per job, default 1000), BENCH_ROUNDS (jobs, each over fresh entries, default 3;
 * the table shows the median), BENCH_COMPARE_SAMPLES (default 200), BENCH_TEXT_BYTES (default 10240),
 * BENCH_LARGE_PAIRS (100 KB comparisons at once, default 10), BENCH_LARGE_ROUNDS (default 3; the
 * modes alternate round by round, the table shows medians).
 */
import '../bin/production-mode.js';
import { randomUUID } from 'node:crypto';
import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';
import { pino } from 'pino';
import { boundedLevenshtein, compareContents, levenshtein, selectAnalyzers, type ContentMetrics } from '../subgraphs/history/analyzers/index.js';
import { historyCommands } from '../subgraphs/history/commands/history-commands.js';
import { createHistoryPlugins } from '../subgraphs/history/config.js';
import { createComparisonDecider, MAX_CONTENT_BYTES } from '../subgraphs/history/domain/index.js';
import { historySubgraph } from '../subgraphs/history/subgraph.js';
import { handleCommand } from '../subgraphs/shared/commands/handle-command.js';
import type { DatabaseKind } from '../subgraphs/shared/database/sql.js';
import { createPlatform, type Platform } from '../subgraphs/shared/platform.js';
import { createTestDatabase, type TestDatabase } from '../test/support/environment.js';
import { databaseKinds, median, printTable, quantile, recordResult, round } from './lib.js';

const ENTRIES = Number(process.env.BENCH_ENTRIES ?? 1000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const COMPARE_SAMPLES = Number(process.env.BENCH_COMPARE_SAMPLES ?? 200);
const TEXT_BYTES = Number(process.env.BENCH_TEXT_BYTES ?? 10 * 1024);
const LARGE_PAIRS = Number(process.env.BENCH_LARGE_PAIRS ?? 10);
const LARGE_ROUNDS = Number(process.env.BENCH_LARGE_ROUNDS ?? 3);
const logger = pino({ level: process.env.LOG_LEVEL ?? 'silent' });
const metadata = { correlationId: 'bench-history', actor: 'bench' };

// ── texts ────────────────────────────────────────────────────────────────────────────────────

function seeded(seed: number): () => number {
  let state = seed % 2_147_483_647 || 1;
  return () => (state = (state * 48_271) % 2_147_483_647) / 2_147_483_647;
}

const WORDS = (
  'the a this our product campaign design quality price delivery customer support battery screen camera sound ' +
  'light fast slow reliable elegant durable cheap premium excellent poor great terrible good bad simple clear ' +
  'useful handy quiet loud bright warm soft strong smart modern classic compact portable easy difficult ' +
  'recommend love hate enjoy return buy choose notice expect deliver improve include offer provide feel ' +
  'every day week month users families travellers kitchens offices homes outdoors mornings evenings'
).split(' ');

/** Review-like prose of about `bytes` characters, varied by `seed`. */
function prose(seed: number, bytes: number): string {
  const random = seeded(seed);
  const sentences: string[] = [];
  let length = 0;
  while (length < bytes) {
    const words = Array.from({ length: 6 + Math.floor(random() * 14) }, () => WORDS[Math.floor(random() * WORDS.length)]!);
    const sentence = `${words[0]![0]!.toUpperCase()}${words.join(' ').slice(1)}${random() < 0.15 ? '!' : '.'}`;
    sentences.push(sentence);
    length += sentence.length + 1;
  }
  return sentences.join(' ').slice(0, bytes);
}

/** `text` with about `share` of its words replaced: a plausible second version. */
function revise(text: string, share: number, seed: number): string {
  const random = seeded(seed);
  return text.replace(/[a-z]+/g, (word) => (random() < share ? WORDS[Math.floor(random() * WORDS.length)]! : word));
}

// ── storage ──────────────────────────────────────────────────────────────────────────────────

interface Backend {
  readonly platform: Platform;
  close(): Promise<void>;
}

async function openBackend(kind: DatabaseKind): Promise<Backend> {
  const testDatabase: TestDatabase | undefined = kind === 'postgres' ? await createTestDatabase({ maxConnections: 1 }) : undefined;
  const platform = await createPlatform({ databaseUrl: testDatabase?.url, logger, busPrefix: `bench-history-${randomUUID()}` });
  return {
    platform,
    close: async () => {
      await platform.close();
      await testDatabase?.drop();
    },
  };
}

/** Creates entries through the real commands, in one transaction (setup, not measured). */
async function seed(platform: Platform, model: string, texts: readonly string[]): Promise<void> {
  await platform.db.sql.transaction(async (tx) => {
    const facade: Platform = { ...platform, db: { ...platform.db, sql: tx }, execute: (spec) => handleCommand(tx, spec) };
    const commands = historyCommands(facade, createHistoryPlugins({ config: {} }));
    for (const [index, content] of texts.entries()) {
      await commands.createEntry(
        { id: `${model}-${String(index).padStart(5, '0')}`, model, prompt: 'Describe the product for the campaign', content },
        metadata,
      );
    }
  });
}

// ── measurements ─────────────────────────────────────────────────────────────────────────────

/** The pure assessor over the texts (metrics computed beforehand, as the job reads them from the entry). */
function assessorBaseline(texts: readonly string[], metrics: readonly ContentMetrics[]): number {
  const { assessor } = selectAnalyzers();
  const started = performance.now();
  let sink = 0;
  for (const [index, content] of texts.entries()) {
    sink += assessor.assess({ content, prompt: 'Describe the product for the campaign', metrics: metrics[index]! }).score;
  }
  const elapsed = performance.now() - started;
  if (sink < 0) console.log(sink);
  return (texts.length / elapsed) * 1000;
}

/** Starts a job over `model` and waits for its AnalysisCompleted; entries per second. */
async function jobThroughput(platform: Platform, model: string): Promise<{ perSecond: number; seconds: number; assessed: number }> {
  const definition = historySubgraph(platform, { analyzers: { config: {} }, jobs: { pollIntervalMs: 1000 } });
  const commands = historyCommands(platform, createHistoryPlugins({ config: {} }));
  const jobId = `bench-${randomUUID()}`;
  const live = await platform.live({ categories: ['analysis'], filter: (event) => event.streamId === `analysis-${jobId}` });
  await definition.start?.();
  try {
    const started = performance.now();
    await commands.startAnalysis({ id: jobId, filter: { model } }, metadata);
    definition.runner.wake();
    for (;;) {
      const next = await live.next();
      if (next.done) throw new Error('live events ended');
      const value = next.value;
      if (value.type === 'AnalysisFailed') throw new Error(`job failed: ${JSON.stringify(value.data)}`);
      if (value.type === 'AnalysisCompleted') {
        const seconds = (performance.now() - started) / 1000;
        const { assessed } = value.data as { assessed: number };
        if (assessed !== ENTRIES) throw new Error(`job assessed ${assessed} of ${ENTRIES}`);
        return { perSecond: assessed / seconds, seconds, assessed };
      }
    }
  } finally {
    await live.return?.();
    await definition.stop?.();
  }
}

function latencies(samples: readonly number[]) {
  const sorted = [...samples].sort((a, b) => a - b);
  return { p50Ms: round(quantile(sorted, 0.5), 3), p99Ms: round(quantile(sorted, 0.99), 3), maxMs: round(sorted[sorted.length - 1]!, 3) };
}

/** The pure comparison of two 10 KB texts: the decider (metrics, similarities, both quality scores). */
function pureComparison(left: string, right: string): number[] {
  const decider = createComparisonDecider(createHistoryPlugins({ config: {} }).comparison);
  const side = (entryId: string, content: string) => ({ entryId, version: 1, model: 'm', prompt: null, content, deleted: false });
  for (let index = 0; index < 10; index += 1) compareContents(left, right);
  const samples: number[] = [];
  for (let index = 0; index < COMPARE_SAMPLES; index += 1) {
    const started = performance.now();
    decider.decide({ type: 'CompareEntries', comparisonId: `c${index}`, left: side('a', left), right: side('b', right) }, decider.initialState());
    samples.push(performance.now() - started);
  }
  return samples;
}

/** The whole compareEntries command: load both sides, decide, append, project. */
async function commandComparison(platform: Platform, left: string, right: string): Promise<number[]> {
  const commands = historyCommands(platform, createHistoryPlugins({ config: {} }));
  const model = `cmp-${randomUUID().slice(0, 8)}`;
  await seed(platform, model, [left, right]);
  const [leftId, rightId] = [`${model}-00000`, `${model}-00001`];
  for (let index = 0; index < 10; index += 1) await commands.compareEntries({ leftId, rightId }, metadata);
  const samples: number[] = [];
  for (let index = 0; index < COMPARE_SAMPLES; index += 1) {
    const started = performance.now();
    await commands.compareEntries({ leftId, rightId }, metadata);
    samples.push(performance.now() - started);
  }
  return samples;
}

/** The edit distance of two unrelated 100 KB texts, exact (the baseline) and bounded, timed once each. */
function editDistanceWork(): Array<Record<string, string | number>> {
  const codePoints = (text: string) => Uint32Array.from([...text].map((char) => char.codePointAt(0)!));
  const left = codePoints(prose(31, MAX_CONTENT_BYTES));
  const right = codePoints(prose(32, MAX_CONTENT_BYTES));
  const timed = (distance: (a: Uint32Array, b: Uint32Array) => number) => {
    const started = performance.now();
    const value = distance(left, right);
    return { ms: performance.now() - started, ratio: 1 - value / Math.max(left.length, right.length) };
  };
  const exact = timed(levenshtein);
  const bounded = timed(boundedLevenshtein);
  return [
    { algorithm: 'exact (baseline)', ms: round(exact.ms, 0), 'vs exact': '1x', ratio: round(exact.ratio, 5) },
    {
      algorithm: 'bounded (edit-distance plugin)',
      ms: round(bounded.ms, 0),
      'vs exact': `1/${round(exact.ms / bounded.ms, 1)}`,
      ratio: round(bounded.ratio, 5),
    },
  ];
}

/**
 * Lets the event loop turn until `lag` has taken `count` samples. It records the gap between two of
 * its timer's firings: a loop held across the last one shows in the next sample, not before.
 */
async function sampled(lag: IntervalHistogram, count: number): Promise<void> {
  while (lag.count < count) await new Promise((resolve) => setTimeout(resolve, 1));
}

/** Where the analyzers of the large comparisons run: on the event loop, or on analysis threads. */
interface AnalysisMode {
  readonly label: string;
  readonly threads: number;
}

interface LargeRun {
  readonly perSecond: number;
  readonly lagP50Ms: number;
  readonly lagP99Ms: number;
  readonly lagMaxMs: number;
}

/**
 * LARGE_PAIRS compareEntries commands over pairs of 100 KB entries (an edited version and an
 * unrelated text), all at once, with the analyzers in `mode`; the event loop's lag while they run.
 */
async function largeComparisons(platform: Platform, pairs: ReadonlyArray<readonly [string, string]>, mode: AnalysisMode): Promise<LargeRun> {
  const plugins = createHistoryPlugins({ config: {}, pool: { threads: mode.threads } });
  const commands = historyCommands(platform, plugins);
  try {
    await commands.compareEntries({ leftId: pairs[0]![0], rightId: pairs[0]![1] }, metadata); // starts the threads
    const lag = monitorEventLoopDelay({ resolution: 5 });
    lag.enable();
    await sampled(lag, 1);
    const started = performance.now();
    await Promise.all(pairs.map(([leftId, rightId]) => commands.compareEntries({ leftId, rightId }, metadata)));
    const seconds = (performance.now() - started) / 1000;
    await sampled(lag, lag.count + 1);
    lag.disable();
    const ms = (nanoseconds: number) => round(nanoseconds / 1e6, 1);
    return { perSecond: pairs.length / seconds, lagP50Ms: ms(lag.percentile(50)), lagP99Ms: ms(lag.percentile(99)), lagMaxMs: ms(lag.max) };
  } finally {
    await plugins.close();
  }
}

/** Entries for the large comparisons: per pair, a 100 KB text and either a revision of it or another text. */
async function seedLarge(platform: Platform): Promise<Array<readonly [string, string]>> {
  const model = `large-${randomUUID().slice(0, 8)}`;
  const texts: string[] = [];
  for (let index = 0; index < LARGE_PAIRS; index += 1) {
    const left = prose(9_000 + index, MAX_CONTENT_BYTES);
    texts.push(left, index % 2 === 0 ? revise(left, 0.2, index).slice(0, MAX_CONTENT_BYTES) : prose(19_000 + index, MAX_CONTENT_BYTES));
  }
  await seed(platform, model, texts);
  return Array.from(
    { length: LARGE_PAIRS },
    (_, index) => [`${model}-${String(2 * index).padStart(5, '0')}`, `${model}-${String(2 * index + 1).padStart(5, '0')}`] as const,
  );
}

// ── run ──────────────────────────────────────────────────────────────────────────────────────

const texts = Array.from({ length: ENTRIES }, (_, index) => prose(index + 1, 400 + ((index * 37) % 1200)));
const { analyzer } = selectAnalyzers();
const metrics = texts.map((text) => analyzer.analyze(text));
const averageBytes = Math.round(texts.reduce((sum, text) => sum + Buffer.byteLength(text), 0) / texts.length);
const left = prose(424_242, TEXT_BYTES);
const right = revise(left, 0.2, 7).slice(0, TEXT_BYTES);
const comparePure = latencies(pureComparison(left, right));
const editDistanceRows = editDistanceWork();

const MODES: readonly AnalysisMode[] = [
  { label: 'inline: analyzers on the event loop (threads: 0)', threads: 0 },
  { label: 'analysis threads: 1', threads: 1 },
  { label: 'analysis threads: 2', threads: 2 },
];
const jobRows: Array<Record<string, string | number>> = [];
const largeRows: Array<Record<string, string | number>> = [];
const compareRows: Array<Record<string, string | number>> = [
  { path: 'pure (decider: metrics, 3 similarities, 2 quality scores)', backend: '-', ...comparePure },
];
const results: Record<string, unknown>[] = [];

for (const kind of databaseKinds()) {
  const backend = await openBackend(kind);
  try {
    const baselines: number[] = [];
    const jobs: number[] = [];
    const seconds: number[] = [];
    for (let run = 0; run < ROUNDS; run += 1) {
      const model = `bench-${kind}-${run}`;
      await seed(backend.platform, model, texts);
      baselines.push(assessorBaseline(texts, metrics));
      const job = await jobThroughput(backend.platform, model);
      jobs.push(job.perSecond);
      seconds.push(job.seconds);
      baselines.push(assessorBaseline(texts, metrics));
    }
    const baseline = median(baselines);
    const jobPerSecond = median(jobs);
    jobRows.push(
      {
        backend: kind,
        path: 'baseline: pure assessor, no storage',
        'entries/s': round(baseline, 0),
        'seconds/1000': round(1000 / baseline, 3),
        'vs baseline': '1x',
      },
      {
        backend: kind,
        path: `analysis job (${ENTRIES} entries, runner + commands)`,
        'entries/s': round(jobPerSecond, 0),
        'seconds/1000': round(median(seconds) * (1000 / ENTRIES), 2),
        'vs baseline': `1/${round(baseline / jobPerSecond, 0)}`,
      },
    );
    const command = latencies(await commandComparison(backend.platform, left, right));
    compareRows.push({ path: 'compareEntries command (load, decide, append, project)', backend: kind, ...command });
    const pairs = await seedLarge(backend.platform);
    const runs = new Map<AnalysisMode, LargeRun[]>(MODES.map((mode) => [mode, []]));
    for (let pass = 0; pass < LARGE_ROUNDS; pass += 1) {
      for (const mode of MODES) runs.get(mode)!.push(await largeComparisons(backend.platform, pairs, mode));
    }
    const medianOf = (mode: AnalysisMode, key: keyof LargeRun) => median(runs.get(mode)!.map((run) => run[key]));
    const inline = MODES[0]!;
    const large = MODES.map((mode) => ({
      backend: kind,
      mode: mode.label,
      'comparisons/s': round(medianOf(mode, 'perSecond'), 2),
      'vs inline': `${round(medianOf(mode, 'perSecond') / medianOf(inline, 'perSecond'), 2)}x`,
      'lag p50 ms': medianOf(mode, 'lagP50Ms'),
      'lag p99 ms': medianOf(mode, 'lagP99Ms'),
      'lag max ms': medianOf(mode, 'lagMaxMs'),
    }));
    largeRows.push(...large);
    results.push({
      backend: kind,
      entries: ENTRIES,
      rounds: ROUNDS,
      baselinePerSecond: round(baseline, 0),
      jobPerSecond: round(jobPerSecond, 1),
      jobRuns: jobs.map((value) => round(value, 1)),
      comparePure,
      compareCommand: command,
      largeComparisons: MODES.map((mode) => ({ threads: mode.threads, runs: runs.get(mode) })),
    });
  } finally {
    await backend.close();
  }
}

printTable(`Analysis job throughput (${ENTRIES} entries of ~${averageBytes} bytes, median of ${ROUNDS} jobs)`, jobRows);
printTable(`Comparison of two ${TEXT_BYTES}-byte texts (${COMPARE_SAMPLES} samples)`, compareRows);
printTable(`Edit distance of two unrelated ${MAX_CONTENT_BYTES}-byte texts`, editDistanceRows);
printTable(
  `${LARGE_PAIRS} comparisons of ${MAX_CONTENT_BYTES}-byte texts at once (median of ${LARGE_ROUNDS} rounds; lag: monitorEventLoopDelay, 5 ms resolution)`,
  largeRows,
);
const file = await recordResult('history-analysis', {
  entries: ENTRIES,
  averageBytes,
  textBytes: TEXT_BYTES,
  samples: COMPARE_SAMPLES,
  largePairs: LARGE_PAIRS,
  largeBytes: MAX_CONTENT_BYTES,
  largeRounds: LARGE_ROUNDS,
  editDistance: editDistanceRows,
  results,
});
console.log(`\nrecorded in ${file}`);
process.exit(0);
