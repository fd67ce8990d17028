import { describe, expect, it } from 'vitest';
import { AnalysisPool, DEFAULT_ANALYSIS_TIMEOUT_MS, defaultAnalysisThreads } from '../../../subgraphs/history/analyzers/index.js';
import { analysisPoolConfigFromEnv, createHistoryPlugins } from '../../../subgraphs/history/config.js';

describe('analysis thread configuration', () => {
  it('reads HISTORY_ANALYSIS_THREADS and HISTORY_ANALYSIS_TIMEOUT_MS; unset means default', () => {
    expect(analysisPoolConfigFromEnv({})).toEqual({});
    expect(analysisPoolConfigFromEnv({ HISTORY_ANALYSIS_THREADS: ' 3 ', HISTORY_ANALYSIS_TIMEOUT_MS: '5000' })).toEqual({ threads: 3, taskTimeoutMs: 5000 });
    expect(analysisPoolConfigFromEnv({ HISTORY_ANALYSIS_THREADS: '0' })).toEqual({ threads: 0 });
    const pool = new AnalysisPool();
    expect(pool.threads).toBe(defaultAnalysisThreads());
    expect(pool.threads).toBeGreaterThanOrEqual(1);
    expect(pool.taskTimeoutMs).toBe(DEFAULT_ANALYSIS_TIMEOUT_MS);
  });

  it('refuses values that are not whole numbers in range at startup', () => {
    expect(() => analysisPoolConfigFromEnv({ HISTORY_ANALYSIS_THREADS: 'two' })).toThrow(/HISTORY_ANALYSIS_THREADS must be a whole number of at least 0/);
    expect(() => analysisPoolConfigFromEnv({ HISTORY_ANALYSIS_THREADS: '-1' })).toThrow(/HISTORY_ANALYSIS_THREADS/);
    expect(() => analysisPoolConfigFromEnv({ HISTORY_ANALYSIS_TIMEOUT_MS: '0' })).toThrow(/HISTORY_ANALYSIS_TIMEOUT_MS must be a whole number of at least 1/);
    expect(() => analysisPoolConfigFromEnv({ HISTORY_ANALYSIS_TIMEOUT_MS: '1.5' })).toThrow(/HISTORY_ANALYSIS_TIMEOUT_MS/);
  });

  it('runs the analyzers on the event loop with zero threads, with the same results', async () => {
    const inline = createHistoryPlugins({ config: {}, pool: { threads: 0 } });
    const pooled = createHistoryPlugins({ config: {}, pool: { threads: 1 } });
    const text = 'The lamp is bright. It is warm and quiet.';
    expect(await inline.runner.analyze(inline.selection.analyzer, text)).toEqual(await pooled.runner.analyze(pooled.selection.analyzer, text));
    await Promise.all([inline.close(), pooled.close()]);
    await expect(pooled.runner.analyze(pooled.selection.analyzer, text)).rejects.toThrow(/closed/);
  });
});
