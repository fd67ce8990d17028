import { afterAll, describe, expect, it } from 'vitest';
import {
  AnalysisPool,
  AnalysisTimeoutError,
  basicMetricsAnalyzer,
  createPluginRunner,
  editDistanceSimilarity,
  heuristicAssessor,
  jaccardSimilarity,
  tfidfCosineSimilarity,
  type ContentAnalyzer,
  type PluginRunner,
} from '../../../subgraphs/history/analyzers/index.js';
import { proseOfLength } from './fixtures.js';

const runners: PluginRunner[] = [];
const pools: AnalysisPool[] = [];
const runner = (threads: number): PluginRunner => {
  const created = createPluginRunner({ threads });
  runners.push(created);
  return created;
};

afterAll(async () => {
  await Promise.all([...runners.map((created) => created.close()), ...pools.map((pool) => pool.close())]);
});

/** How often a 2 ms interval fires on this thread while `work` is under way. */
async function ticksDuring(work: () => Promise<unknown>): Promise<number> {
  let ticks = 0;
  const interval = setInterval(() => {
    ticks += 1;
  }, 2);
  try {
    await work();
  } finally {
    clearInterval(interval);
  }
  return ticks;
}

const LEFT = proseOfLength(100_000, 1);
const RIGHT = proseOfLength(100_000, 2);

describe('analysis threads', () => {
  it('run the built-in plugins with exactly the results they give on the event loop', async () => {
    const threads = runner(1);
    const left = proseOfLength(5_000, 3);
    const right = proseOfLength(4_000, 4);
    const metrics = basicMetricsAnalyzer.analyze(left);
    expect(await threads.analyze(basicMetricsAnalyzer, left)).toEqual(metrics);
    const input = { content: left, prompt: 'Describe the fox', metrics };
    expect(await threads.assess(heuristicAssessor, input)).toEqual(heuristicAssessor.assess(input));
    for (const calculator of [tfidfCosineSimilarity, jaccardSimilarity, editDistanceSimilarity]) {
      expect(await threads.compare(calculator, left, right)).toBe(calculator.compare(left, right));
    }
  });

  it('keep the event loop turning while a 100 KB edit distance is computed, which inline holds it', async () => {
    const threads = runner(1);
    let onThread = Number.NaN;
    const whileOnThread = await ticksDuring(async () => {
      onThread = await threads.compare(editDistanceSimilarity, LEFT, RIGHT);
    });
    const inline = runner(0);
    let onLoop = Number.NaN;
    const whileInline = await ticksDuring(async () => {
      onLoop = await inline.compare(editDistanceSimilarity, LEFT, RIGHT);
    });
    expect(onThread).toBe(onLoop);
    expect(whileInline).toBe(0);
    expect(whileOnThread).toBeGreaterThanOrEqual(10);
  });

  it('run a plugin registered at run time on the calling thread (the threads only have the built-ins)', async () => {
    const seen: string[] = [];
    const custom: ContentAnalyzer = {
      name: 'basic-metrics', // a name of a built-in: still not the built-in
      version: '9.9.9',
      analyze: (text) => {
        seen.push(text);
        return { ...basicMetricsAnalyzer.analyze(text), sentiment: 1 };
      },
    };
    const threads = runner(1);
    expect(await threads.analyze(custom, 'Good dogs.')).toMatchObject({ words: 2, sentiment: 1 });
    expect(seen).toEqual(['Good dogs.']);
  });

  it('fail a task that outlives the timeout with AnalysisTimeoutError, and go on serving', async () => {
    // Long enough for a thread to start on a loaded machine.
    const pool = new AnalysisPool({ threads: 1, taskTimeoutMs: 6_000 });
    pools.push(pool);
    expect(await pool.run({ kind: 'similarity', plugin: 'jaccard', left: 'a b', right: 'b c' })).toBe(1 / 3);
    // 48 MB: 12 s of tokenising on an idle machine of this kind (24 MB took 5.9 s, under the timeout).
    const huge = LEFT.repeat(480);
    const started = performance.now();
    await expect(pool.run({ kind: 'analyzer', plugin: 'basic-metrics', text: huge })).rejects.toThrow(AnalysisTimeoutError);
    expect(performance.now() - started).toBeLessThan(9_000);
    expect(await pool.run({ kind: 'similarity', plugin: 'jaccard', left: 'a b', right: 'a b' })).toBe(1);
  });

  it('refuse tasks once closed, after finishing the ones under way', async () => {
    const pool = new AnalysisPool({ threads: 1 });
    const underWay = pool.run({ kind: 'similarity', plugin: 'edit-distance', left: LEFT, right: RIGHT });
    await pool.close();
    expect(await underWay).toBe(editDistanceSimilarity.compare(LEFT, RIGHT));
    await expect(pool.run({ kind: 'similarity', plugin: 'jaccard', left: 'a', right: 'a' })).rejects.toThrow(/closed/);
  });

  it('refuse a pool without threads or with a timeout that is not positive', () => {
    expect(() => new AnalysisPool({ threads: 0 })).toThrow(/at least one thread/);
    expect(() => new AnalysisPool({ threads: 1.5 })).toThrow(/at least one thread/);
    expect(() => new AnalysisPool({ taskTimeoutMs: 0 })).toThrow(/timeout must be positive/);
  });
});
