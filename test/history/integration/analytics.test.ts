import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAnalyzerRegistry, basicMetricsAnalyzer, tfidfCosineSimilarity, type QualityAssessor } from '../../../subgraphs/history/analyzers/index.js';
import { historyProjections } from '../../../subgraphs/history/projections/index.js';
import { rebuildProjections } from '../../../subgraphs/shared/projections/rebuild.js';
import { startHistoryHarness, type HistoryHarness } from '../../support/history-harness.js';
import { seededRandom } from '../../support/seeded-random.js';
import { ok, uid } from './helpers.js';

/** A test assessor whose scores spread over 0..1 (deterministic sequence), to fill many buckets. */
function spreadAssessor(): QualityAssessor {
  const random = seededRandom(99);
  return { name: 'spread', version: '1.0.0', assess: () => ({ score: Math.round(random() * 10_000) / 10_000, dimensions: [{ name: 'spread', score: 0.5 }] }) };
}

let harness: HistoryHarness;

beforeAll(async () => {
  const registry = createAnalyzerRegistry()
    .register('analyzer', basicMetricsAnalyzer)
    .register('assessor', spreadAssessor())
    .register('similarity', tfidfCosineSimilarity);
  harness = await startHistoryHarness({ history: { analyzers: { registry, config: { assessor: 'spread', similarity: ['tfidf-cosine'] } } } });
}, 300_000);

afterAll(async () => {
  await harness?.close();
}, 120_000);

interface Recount {
  entries: number;
  assessedEntries: number;
  assessments: number;
  meanQuality: number | null;
  latest: number[];
  daily: Map<string, number[]>;
}

/** Recounts every model's analytics from the raw events, with none of the projection's code. */
async function recount(): Promise<Map<string, Recount>> {
  const events = await harness.platform.db.sql.query<{ stream_id: string; type: string; data: any; occurred_at: Date }>(
    `SELECT stream_id, type, data, occurred_at FROM events WHERE stream_id LIKE 'entry-%' ORDER BY position`,
  );
  const streams = new Map<string, { model: string; deleted: boolean; scores: Array<{ score: number; day: string }> }>();
  for (const event of events) {
    if (event.type === 'EntryCreated') streams.set(event.stream_id, { model: event.data.model, deleted: false, scores: [] });
    const stream = streams.get(event.stream_id)!;
    if (event.type === 'EntryDeleted') stream.deleted = true;
    if (event.type === 'QualityAssessed') stream.scores.push({ score: event.data.score, day: new Date(event.occurred_at).toISOString().slice(0, 10) });
  }
  const byModel = new Map<string, Recount>();
  for (const stream of streams.values()) {
    const model: Recount = byModel.get(stream.model) ?? { entries: 0, assessedEntries: 0, assessments: 0, meanQuality: null, latest: [], daily: new Map() };
    byModel.set(stream.model, model);
    model.assessments += stream.scores.length;
    for (const { score, day } of stream.scores) model.daily.set(day, [...(model.daily.get(day) ?? []), score]);
    if (stream.deleted) continue;
    model.entries += 1;
    const last = stream.scores.at(-1);
    if (last) {
      model.assessedEntries += 1;
      model.latest.push(last.score);
    }
  }
  for (const model of byModel.values()) {
    // Exact: scores have 4 decimals, so sum them as integers before rounding the mean.
    const sumE4 = model.latest.reduce((sum, score) => sum + Math.round(score * 10_000), 0);
    model.meanQuality = model.latest.length ? Math.round(sumE4 / model.latest.length) / 10_000 : null;
  }
  return byModel;
}

const nearestRank = (values: number[], q: number) => [...values].sort((a, b) => a - b)[Math.max(1, Math.ceil(q * values.length)) - 1]!;

describe('model analytics', () => {
  it('equal a recount from the events after creations, updates, re-assessments and deletions', async () => {
    const models = [uid('alpha'), uid('beta'), uid('gamma')];
    // A fixed mix of commands through the database (too slow to shrink as a property).
    const random = seededRandom(5);
    const live: Array<{ id: string; model: string }> = [];
    const metadata = { correlationId: 'analytics-test' };
    for (let index = 0; index < 90; index += 1) {
      const model = models[index % 3]!;
      const { entryId } = await harness.commands.createEntry(
        { id: `${model}-${index}`, model, content: `Entry ${index} is ${index % 2 ? 'good' : 'bad'}.` },
        metadata,
      );
      live.push({ id: entryId, model });
    }
    for (let step = 0; step < 200; step += 1) {
      const pick = random.pick(live);
      const roll = random();
      if (roll < 0.7) await harness.commands.assessQuality({ entryId: pick.id }, metadata);
      else if (roll < 0.85) await harness.commands.updateEntry({ id: pick.id, content: `Updated at step ${step}.` }, metadata);
      else {
        await harness.commands.deleteEntry({ id: pick.id }, metadata);
        live.splice(live.indexOf(pick), 1);
      }
    }

    const expected = await recount();
    const { allModelAnalytics } = await ok(
      harness,
      `{ allModelAnalytics { model entries assessedEntries assessments meanQuality p50Quality p90Quality histogram { from count } trend(days: 2) { day assessments meanQuality } } }`,
    );
    const ours = allModelAnalytics.filter((row: { model: string }) => models.includes(row.model));
    expect(ours.map((row: { model: string }) => row.model)).toEqual([...models].sort());
    for (const row of ours) {
      const want = expected.get(row.model)!;
      expect(row).toMatchObject({ entries: want.entries, assessedEntries: want.assessedEntries, assessments: want.assessments, meanQuality: want.meanQuality });
      expect(Math.abs(row.p50Quality - nearestRank(want.latest, 0.5))).toBeLessThanOrEqual(0.005 + 1e-9);
      expect(Math.abs(row.p90Quality - nearestRank(want.latest, 0.9))).toBeLessThanOrEqual(0.005 + 1e-9);
      const histogram = new Map<number, number>();
      for (const score of want.latest) {
        const from = Math.min(99, Math.floor(Math.round(score * 10_000) / 100)) / 100;
        histogram.set(from, (histogram.get(from) ?? 0) + 1);
      }
      expect(row.histogram).toEqual([...histogram].sort(([a], [b]) => a - b).map(([from, count]) => ({ from, count })));
      expect(row.trend).toEqual(
        [...want.daily]
          .sort(([a], [b]) => (a < b ? -1 : 1))
          .map(([day, scores]) => ({
            day,
            assessments: scores.length,
            meanQuality: Math.round(scores.reduce((sum, score) => sum + Math.round(score * 10_000), 0) / scores.length) / 10_000,
          })),
      );
    }
    expect(expected.get(models[0]!)!.assessedEntries).toBeGreaterThan(5);
  });

  it('a rebuild from the event log reproduces every history read model exactly', async () => {
    const report = await rebuildProjections(harness.platform.db.sql, historyProjections, { replace: false });
    expect(report.differences).toEqual({
      history_entries: 0,
      history_entry_versions: 0,
      history_assessments: 0,
      history_model_analytics: 0,
      history_model_score_buckets: 0,
      history_model_daily: 0,
      history_comparisons: 0,
      history_analysis_jobs: 0,
    });
    expect(report.equal).toBe(true);
    expect(report.events).toBeGreaterThanOrEqual(290);
  });

  it('an unknown model has no analytics', async () => {
    expect((await ok(harness, `{ modelAnalytics(model: "never-used") { model } }`)).modelAnalytics).toBeNull();
  });
});
