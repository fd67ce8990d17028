import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compareContents, heuristicAssessor, pickWinner } from '../../../subgraphs/history/analyzers/index.js';
import { MAX_CONTENT_BYTES } from '../../../subgraphs/history/domain/index.js';
import { gql } from '../../support/graphql-clients.js';
import { startFullStack, type FullStack } from '../../support/full-stack.js';
import { bearer } from '../../support/security.js';
import { proseOfLength } from '../analyzers/fixtures.js';

/**
 * The one-process layout (router and every subgraph on one event loop) while the history
 * subgraph compares 100 KB texts: the comparisons run on the analysis threads, so the event loop
 * keeps answering, and the recorded measures are the analyzers' own.
 */

const PROMPT = 'Describe the fields and rivers';
const COMPARE = `mutation Compare($input: CompareEntriesInput!) {
  compareEntries(input: $input) {
    comparison {
      similarity jaccard editDistanceRatio winner
      scores { name version value }
      left { entryId quality metrics { words sentences averageWordLength averageSentenceLength lexicalDiversity readability sentiment } }
      right { entryId quality metrics { words sentences averageWordLength averageSentenceLength lexicalDiversity readability sentiment } }
      metricDeltas { words sentences averageWordLength averageSentenceLength lexicalDiversity readability sentiment }
    }
  }
}`;

/**
 * `shift` "#" followed by `text` with every `step`-th character replaced by "#". The prose has no
 * "#": each one needs an edit of its own (an insertion or a substitution), and inserting the
 * first ones and substituting the others suffices, so the distance is the number of "#".
 */
function marked(text: string, step: number, shift: number): { text: string; distance: number } {
  const chars = [...text];
  let replaced = 0;
  for (let i = 0; i < chars.length; i += step) {
    chars[i] = '#';
    replaced += 1;
  }
  return { text: '#'.repeat(shift) + chars.join(''), distance: shift + replaced };
}

interface Pair {
  readonly left: string;
  readonly right: string;
  /** The exact Levenshtein distance, where the pair is built to have a known one. */
  readonly distance?: number;
}

/** Ten pairs of texts of up to 100 KB: edited versions of one text (known distance) and unrelated texts. */
function pairs(): Pair[] {
  return Array.from({ length: 10 }, (_, index) => {
    if (index % 2 === 1) return { left: proseOfLength(MAX_CONTENT_BYTES, 100 + index), right: proseOfLength(MAX_CONTENT_BYTES, 200 + index) };
    const shift = index * 60;
    const left = proseOfLength(MAX_CONTENT_BYTES - shift, 100 + index);
    const version = marked(left, 89 + index, shift);
    return { left, right: version.text, distance: version.distance };
  });
}

/**
 * Lets the event loop turn until `lag` has taken `count` samples. It records the gap between two of
 * its timer's firings: a loop held across the last one shows in the next sample, not before.
 */
async function sampled(lag: IntervalHistogram, count: number): Promise<void> {
  while (lag.count < count) await new Promise((resolve) => setTimeout(resolve, 1));
}

let stack: FullStack;
const PAIRS = pairs();

async function request(query: string, variables: Record<string, unknown>) {
  const result = await gql(stack.router.url, query, variables, await bearer());
  expect(result.errors, JSON.stringify(result.errors)).toBeUndefined();
  return result.data!;
}

beforeAll(async () => {
  stack = await startFullStack();
  for (const [index, pair] of PAIRS.entries()) {
    for (const [side, content] of [
      ['left', pair.left],
      ['right', pair.right],
    ] as const) {
      await request(`mutation Create($input: CreateEntryInput!) { createEntry(input: $input) { entry { id } } }`, {
        input: { id: `${side}-${index}`, model: 'gpt-4o', prompt: PROMPT, content },
      });
    }
  }
}, 300_000);

afterAll(async () => {
  await stack?.close();
});

describe('comparisons of 100 KB texts in the one-process layout', () => {
  it('keeps the event-loop lag p99 under 50 ms while ten run at once, and records the analyzers\u2019 results', async () => {
    const lag = monitorEventLoopDelay({ resolution: 5 });
    lag.enable();
    await sampled(lag, 1);
    const answers = await Promise.all(PAIRS.map((_, index) => request(COMPARE, { input: { leftId: `left-${index}`, rightId: `right-${index}` } })));
    await sampled(lag, lag.count + 1);
    lag.disable();
    const p99Ms = lag.percentile(99) / 1e6;
    expect(lag.count).toBeGreaterThan(10);
    expect(p99Ms, `event-loop lag p99 ${p99Ms.toFixed(1)} ms, max ${(lag.max / 1e6).toFixed(1)} ms`).toBeLessThan(50);

    for (const [index, pair] of PAIRS.entries()) {
      const { comparison } = answers[index]!.compareEntries;
      const expected = compareContents(pair.left, pair.right);
      const quality = (content: string, metrics: typeof expected.leftMetrics) => heuristicAssessor.assess({ content, prompt: PROMPT, metrics }).score;
      const leftQuality = quality(pair.left, expected.leftMetrics);
      const rightQuality = quality(pair.right, expected.rightMetrics);
      expect(comparison).toEqual({
        similarity: expected.similarity,
        jaccard: expected.jaccard,
        editDistanceRatio: expected.editDistanceRatio,
        winner: pickWinner(leftQuality, rightQuality),
        scores: expected.scores,
        left: { entryId: `left-${index}`, quality: leftQuality, metrics: expected.leftMetrics },
        right: { entryId: `right-${index}`, quality: rightQuality, metrics: expected.rightMetrics },
        metricDeltas: expected.metricDeltas,
      });
      if (pair.distance !== undefined) {
        const longest = Math.max([...pair.left].length, [...pair.right].length);
        expect(comparison.editDistanceRatio).toBe(Math.round((1 - pair.distance / longest) * 10_000) / 10_000);
      }
    }
  }, 300_000);
});
