import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { computeBasicMetrics, heuristicAssessor, type PluginRunner } from '../../../subgraphs/history/analyzers/index.js';
import { historyCommands } from '../../../subgraphs/history/commands/history-commands.js';
import { createHistoryPlugins } from '../../../subgraphs/history/config.js';
import { startHistoryHarness, type HistoryHarness } from '../../support/history-harness.js';
import { uid } from './helpers.js';

let harness: HistoryHarness;
const plugins = createHistoryPlugins({ config: {}, pool: { threads: 1 } });
const metadata = { correlationId: 'assessment-preparation-test' };
const PROMPT = 'Describe the lamp';
const version = (n: number) => `Version ${n} of the lamp: bright, warm and quiet. It lights the whole room.`.repeat(n);

beforeAll(async () => {
  harness = await startHistoryHarness({ history: { jobs: { run: false } } });
}, 300_000);

afterAll(async () => {
  await plugins.close();
  await harness?.close();
}, 120_000);

/**
 * Commands whose analysis runner, while preparing an assessment, first lets another command
 * update the entry `updates` times (once per preparation): the version prepared is then no longer
 * the one the transaction finds.
 */
function racedCommands(entryId: string, updates: number) {
  let assessments = 0;
  let next = 2;
  const runner: PluginRunner = {
    ...plugins.runner,
    assess: async (assessor, input) => {
      assessments += 1;
      if (assessments <= updates) await harness.commands.updateEntry({ id: entryId, content: version(next++), prompt: PROMPT }, metadata);
      return plugins.runner.assess(assessor, input);
    },
  };
  return { commands: historyCommands(harness.platform, { ...plugins, runner }), assessments: () => assessments };
}

const scoreOf = (content: string) => heuristicAssessor.assess({ content, prompt: PROMPT, metrics: computeBasicMetrics(content) }).score;

/** Creates an entry, then assesses it while another command updates it `updates` times. */
async function assessWhileUpdated(updates: number) {
  const entryId = uid('e');
  await harness.commands.createEntry({ id: entryId, model: 'gpt-4o', prompt: PROMPT, content: version(1) }, metadata);
  const raced = racedCommands(entryId, updates);
  const { outcome } = await raced.commands.assessQuality({ entryId }, metadata);
  return { assessed: outcome.events[0]!.data, preparations: raced.assessments() };
}

describe('assessQuality prepares the version its transaction finds', () => {
  it('assesses the new version when the entry changed after it was read', async () => {
    const { assessed, preparations } = await assessWhileUpdated(1);
    expect(assessed).toMatchObject({ entryVersion: 2, score: scoreOf(version(2)) });
    expect(preparations).toBe(2);
  });

  it('assesses what it finds on its last attempt when the entry keeps changing', async () => {
    const { assessed, preparations } = await assessWhileUpdated(3);
    expect(assessed).toMatchObject({ entryVersion: 4, score: scoreOf(version(4)) });
    expect(preparations).toBe(3);
  });
});
