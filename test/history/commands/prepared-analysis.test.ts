import { afterAll, describe, expect, it } from 'vitest';
import { computeBasicMetrics, type PluginRunner } from '../../../subgraphs/history/analyzers/index.js';
import { prepareComparison, prepareContent } from '../../../subgraphs/history/commands/prepare-analysis.js';
import { AnalysisNotPrepared, PreparedAnalysis } from '../../../subgraphs/history/commands/prepared-analysis.js';
import { createHistoryPlugins, type HistoryPlugins } from '../../../subgraphs/history/config.js';
import { createComparisonDecider, createEntryDecider, type ComparedSide, type EntryCommand } from '../../../subgraphs/history/domain/index.js';
import { proseOfLength } from '../analyzers/fixtures.js';

const base = createHistoryPlugins({ config: {}, pool: { threads: 1 } });
afterAll(() => base.close());

/** The subgraph's plugins with a runner that counts what it is asked to compute. */
function counted(): { plugins: HistoryPlugins; calls: () => number } {
  let calls = 0;
  const count = <T>(work: Promise<T>) => {
    calls += 1;
    return work;
  };
  const runner: PluginRunner = {
    analyze: (analyzer, text) => count(base.runner.analyze(analyzer, text)),
    assess: (assessor, input) => count(base.runner.assess(assessor, input)),
    compare: (calculator, left, right) => count(base.runner.compare(calculator, left, right)),
    close: () => base.runner.close(),
  };
  return { plugins: { ...base, runner }, calls: () => calls };
}

const side = (entryId: string, content: string, overrides: Partial<ComparedSide> = {}): ComparedSide => ({
  entryId,
  version: 1,
  model: 'gpt-4o',
  prompt: 'Describe the fields',
  content,
  deleted: false,
  ...overrides,
});
const LEFT = side('a', proseOfLength(20_000, 1));
const RIGHT = side('b', proseOfLength(20_000, 2), { prompt: null });

describe('analysis prepared before the transaction', () => {
  it('gives the comparison decider the events it decides alone, and computes nothing however often it decides again', async () => {
    const { plugins, calls } = counted();
    const prepared = await prepareComparison(plugins, LEFT, RIGHT);
    // Two metrics, three similarities, two quality scores.
    expect(calls()).toBe(7);
    const command = { type: 'CompareEntries' as const, comparisonId: 'c1', left: LEFT, right: RIGHT };
    const decider = createComparisonDecider(prepared.comparisonPlugins(plugins.comparison));
    const first = decider.decide(command, decider.initialState());
    const retried = decider.decide(command, decider.initialState());
    expect(calls()).toBe(7);
    const alone = createComparisonDecider(plugins.comparison);
    expect(first).toEqual(alone.decide(command, alone.initialState()));
    expect(retried).toEqual(first);
  });

  it('computes nothing for a comparison the decider refuses', async () => {
    const { plugins, calls } = counted();
    await prepareComparison(plugins, LEFT, { ...LEFT });
    await prepareComparison(plugins, LEFT, { ...RIGHT, deleted: true });
    expect(calls()).toBe(0);
  });

  it('gives the entry decider the metrics of new content, and none for content it refuses', async () => {
    const { plugins, calls } = counted();
    const content = proseOfLength(3_000, 9);
    const prepared = await prepareContent(plugins, content);
    const decider = createEntryDecider(prepared.entryPlugins(plugins.entry));
    const [created] = decider.decide({ type: 'CreateEntry', entryId: 'e1', model: 'gpt-4o', content }, decider.initialState());
    expect(created!.data).toMatchObject({ metrics: computeBasicMetrics(content) });
    expect(calls()).toBe(1);
    await prepareContent(plugins, '   ');
    expect(calls()).toBe(1);
  });

  it('refuses to answer for an input nobody prepared, unless told to compute it then', async () => {
    const prepared = new PreparedAnalysis(base.runner);
    await prepared.analyze(base.entry.analyzer, 'The first version.');
    const decider = createEntryDecider(prepared.entryPlugins(base.entry));
    const [created] = decider.decide({ type: 'CreateEntry', entryId: 'e1', model: 'm', content: 'The first version.' }, decider.initialState());
    const state = decider.evolve(decider.initialState(), created!);
    const update: EntryCommand = { type: 'UpdateEntry', entryId: 'e1', content: 'A second version.' };
    expect(() => decider.decide(update, state)).toThrow(AnalysisNotPrepared);
    const assess: EntryCommand = { type: 'AssessQuality', entryId: 'e1', assessmentId: 'a1' };
    expect(() => decider.decide(assess, state)).toThrow(AnalysisNotPrepared);

    const lenient = createEntryDecider(new PreparedAnalysis(base.runner, true).entryPlugins(base.entry));
    const [updated] = lenient.decide(update, state);
    expect(updated!.data).toMatchObject({ metrics: computeBasicMetrics('A second version.') });
  });
});
