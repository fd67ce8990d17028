import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compareContents, computeBasicMetrics, heuristicAssessor } from '../../../subgraphs/history/analyzers/index.js';
import { startHistoryHarness, type HistoryHarness } from '../../support/history-harness.js';
import { ASSESS, COMPARE, COMPARISON_FIELDS, CREATE_ENTRY, DELETE_ENTRY, ENTRY, UPDATE_ENTRY, createEntry, eventCount, fails, ok, uid } from './helpers.js';

let harness: HistoryHarness;

beforeAll(async () => {
  harness = await startHistoryHarness();
}, 300_000);

afterAll(async () => {
  await harness?.close();
}, 120_000);

const isoInstant = expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
const decimal = expect.stringMatching(/^\d+$/);
const TEXT = 'The kettle boils water in ninety seconds. Its steel body stays cool to the touch, which parents love.';
const PROMPT = 'Write a product description for the kettle';

describe('createEntry', () => {
  it('records version 1 with computed metrics and returns the committed entry and its event', async () => {
    const id = uid('e');
    const { createEntry: payload } = await ok(
      harness,
      CREATE_ENTRY,
      { input: { id, model: 'gpt-4o', prompt: PROMPT, content: TEXT, subject: { type: 'PRODUCT', id: 'p-kettle' } } },
      { correlationId: 'corr-create', actor: 'user:ana' },
    );
    expect(payload.replayed).toBe(false);
    expect(payload.entry).toEqual({
      id,
      model: 'gpt-4o',
      prompt: PROMPT,
      content: TEXT,
      version: 1,
      latestVersion: 1,
      streamVersion: 1,
      deleted: false,
      deletedAt: null,
      deleteReason: null,
      metrics: computeBasicMetrics(TEXT),
      analyzer: { name: 'basic-metrics', version: '1.0.0' },
      subjectType: 'PRODUCT',
      subjectId: 'p-kettle',
      createdAt: isoInstant,
      updatedAt: isoInstant,
    });
    expect(payload.events).toEqual([
      {
        position: decimal,
        streamId: `entry-${id}`,
        version: 1,
        type: 'EntryCreated',
        data: expect.objectContaining({ entryId: id, version: 1, model: 'gpt-4o', content: TEXT, metrics: computeBasicMetrics(TEXT) }),
        occurredAt: payload.entry.createdAt,
        metadata: { correlationId: 'corr-create', causationId: null, actor: 'user:ana', idempotencyKey: null },
      },
    ]);
    const read = await ok(harness, ENTRY, { id });
    expect(read.entry).toEqual(payload.entry);
  });

  it('generates an id when none is given', async () => {
    const entry = await createEntry(harness, { content: 'Generated id.' });
    expect(entry.id).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('replays a retry with the same idempotency key and refuses the key for another command', async () => {
    const key = uid('key');
    const input = { model: 'claude', content: 'Once only.', idempotencyKey: key };
    const first = (await ok(harness, CREATE_ENTRY, { input })).createEntry;
    const events = await eventCount(harness);
    const again = (await ok(harness, CREATE_ENTRY, { input })).createEntry;
    expect(again.replayed).toBe(true);
    expect(again.entry.id).toBe(first.entry.id);
    expect(again.events).toEqual(first.events);
    expect(await eventCount(harness)).toBe(events);
    const reused = await fails(harness, 'IDEMPOTENCY_KEY_REUSED', CREATE_ENTRY, { input: { ...input, content: 'Something else.' } });
    expect(reused.extensions?.idempotencyKey).toBe(key);
  });
});

describe('versions and time travel', () => {
  it('updateEntry adds version 2; version 1 stays readable with its own metrics', async () => {
    const id = (await createEntry(harness, { id: uid('e'), prompt: PROMPT, content: TEXT })).id as string;
    const second = 'A faster kettle. Boils in sixty seconds.';
    const { updateEntry } = await ok(harness, UPDATE_ENTRY, { input: { id, content: second, expectedVersion: 1 } });
    expect(updateEntry.entry).toMatchObject({
      id,
      version: 2,
      latestVersion: 2,
      streamVersion: 2,
      content: second,
      prompt: PROMPT,
      metrics: computeBasicMetrics(second),
    });
    expect(updateEntry.entry.versions.map((version: { version: number; content: string }) => [version.version, version.content])).toEqual([
      [1, TEXT],
      [2, second],
    ]);
    expect(updateEntry.events.map((event: { type: string; version: number }) => [event.type, event.version])).toEqual([['EntryUpdated', 2]]);

    const v1 = (await ok(harness, ENTRY, { id, version: 1 })).entry;
    expect(v1).toMatchObject({ id, version: 1, latestVersion: 2, content: TEXT, prompt: PROMPT, metrics: computeBasicMetrics(TEXT) });
    expect(v1.updatedAt).toBe(updateEntry.entry.versions[0].createdAt);
    expect((await ok(harness, ENTRY, { id, version: 2 })).entry).toMatchObject({ version: 2, content: second });
    expect((await ok(harness, ENTRY, { id, version: 3 })).entry).toBeNull();
    expect((await ok(harness, ENTRY, { id: 'nobody', version: 1 })).entry).toBeNull();
    await fails(harness, 'BAD_USER_INPUT', ENTRY, { id, version: 0 });
  });

  it('an update without prompt keeps it; with null clears it', async () => {
    const id = (await createEntry(harness, { id: uid('e'), prompt: PROMPT, content: TEXT })).id as string;
    expect((await ok(harness, UPDATE_ENTRY, { input: { id, content: 'v2' } })).updateEntry.entry.prompt).toBe(PROMPT);
    expect((await ok(harness, UPDATE_ENTRY, { input: { id, content: 'v3', prompt: null } })).updateEntry.entry.prompt).toBeNull();
  });

  it('expectedVersion that is not the current streamVersion is a CONCURRENCY_CONFLICT', async () => {
    const id = (await createEntry(harness, { id: uid('e'), content: TEXT })).id as string;
    await ok(harness, UPDATE_ENTRY, { input: { id, content: 'v2' } });
    const error = await fails(harness, 'CONCURRENCY_CONFLICT', UPDATE_ENTRY, { input: { id, content: 'v3', expectedVersion: 1 } });
    expect(error.extensions?.currentVersion).toBe(2);
  });

  it('entryEvents is the audit trail of the stream, paged', async () => {
    const id = (await createEntry(harness, { id: uid('e'), content: TEXT })).id as string;
    await ok(harness, UPDATE_ENTRY, { input: { id, content: 'v2' } });
    await ok(harness, ASSESS, { input: { entryId: id } });
    const query = `query($id: ID!, $after: String) { entryEvents(id: $id, first: 2, after: $after) { edges { cursor node { type version } } pageInfo { hasNextPage endCursor } } }`;
    const first = (await ok(harness, query, { id })).entryEvents;
    expect(first.edges.map((edge: { node: { type: string } }) => edge.node.type)).toEqual(['EntryCreated', 'EntryUpdated']);
    expect(first.pageInfo.hasNextPage).toBe(true);
    const second = (await ok(harness, query, { id, after: first.pageInfo.endCursor })).entryEvents;
    expect(second.edges.map((edge: { node: { type: string; version: number } }) => [edge.node.type, edge.node.version])).toEqual([['QualityAssessed', 3]]);
    expect(second.pageInfo.hasNextPage).toBe(false);
  });
});

describe('soft delete', () => {
  it('hides the entry from lists but keeps it, its versions and its trail readable', async () => {
    const model = uid('model');
    const keep = (await createEntry(harness, { id: uid('keep'), model, content: TEXT })).id as string;
    const gone = (await createEntry(harness, { id: uid('gone'), model, content: TEXT, subject: { type: 'CAMPAIGN', id: `c-${model}` } })).id as string;
    await ok(harness, UPDATE_ENTRY, { input: { id: gone, content: 'second version' } });
    const { deleteEntry } = await ok(harness, DELETE_ENTRY, { input: { id: gone, reason: 'off-brand' } });
    expect(deleteEntry.entry).toMatchObject({ id: gone, deleted: true, deleteReason: 'off-brand', deletedAt: isoInstant, version: 2, streamVersion: 3 });
    expect(deleteEntry.events.map((event: { type: string }) => event.type)).toEqual(['EntryDeleted']);

    const list = `query($model: String, $all: Boolean) { entries(model: $model, includeDeleted: $all) { edges { node { id deleted } } } }`;
    expect((await ok(harness, list, { model })).entries.edges.map((edge: { node: { id: string } }) => edge.node.id)).toEqual([keep]);
    expect((await ok(harness, list, { model, all: true })).entries.edges.map((edge: { node: { id: string } }) => edge.node.id)).toEqual([gone, keep]);
    expect((await ok(harness, ENTRY, { id: gone })).entry).toMatchObject({ deleted: true, content: 'second version' });
    expect((await ok(harness, ENTRY, { id: gone, version: 1 })).entry).toMatchObject({ deleted: true, content: TEXT });
    const creatives = `query($reps: [_Any!]!) { _entities(representations: $reps) { ... on Campaign { id creatives { id } } } }`;
    expect((await ok(harness, creatives, { reps: [{ __typename: 'Campaign', id: `c-${model}` }] }))._entities).toEqual([{ id: `c-${model}`, creatives: [] }]);

    for (const [query, input] of [
      [UPDATE_ENTRY, { id: gone, content: 'again' }],
      [DELETE_ENTRY, { id: gone }],
      [ASSESS, { entryId: gone }],
    ] as const) {
      const error = await fails(harness, 'BAD_USER_INPUT', query, { input });
      expect(error.extensions).toMatchObject({ reason: 'ENTRY_DELETED' });
      expect(error.message).toBe(`history entry ${gone} is deleted`);
    }
  });

  it('unknown entries are NOT_FOUND', async () => {
    await fails(harness, 'NOT_FOUND', UPDATE_ENTRY, { input: { id: 'missing-entry', content: 'x' } });
    await fails(harness, 'NOT_FOUND', DELETE_ENTRY, { input: { id: 'missing-entry' } });
    await fails(harness, 'NOT_FOUND', ASSESS, { input: { entryId: 'missing-entry' } });
  });
});

describe('assessQuality', () => {
  it('scores the entry with the configured assessor and records it on the entry', async () => {
    const id = (await createEntry(harness, { id: uid('e'), prompt: PROMPT, content: TEXT })).id as string;
    const { assessQuality } = await ok(harness, ASSESS, { input: { entryId: id } });
    const expected = heuristicAssessor.assess({ content: TEXT, prompt: PROMPT, metrics: computeBasicMetrics(TEXT) });
    expect(assessQuality.assessment).toEqual({
      id: expect.any(String),
      entryId: id,
      entryVersion: 1,
      model: 'gpt-4o',
      score: expected.score,
      dimensions: expected.dimensions,
      assessor: { name: 'heuristic', version: '1.0.0' },
      jobId: null,
      assessedAt: isoInstant,
      position: assessQuality.events[0].position,
    });
    expect(assessQuality.entry).toEqual({ id, streamVersion: 2, latestAssessment: { id: assessQuality.assessment.id, score: expected.score } });
    expect(assessQuality.events[0]).toMatchObject({ type: 'QualityAssessed', version: 2 });
  });

  it('lists assessments newest first and answers assessment(id)', async () => {
    const id = (await createEntry(harness, { id: uid('e'), content: TEXT })).id as string;
    const first = (await ok(harness, ASSESS, { input: { entryId: id } })).assessQuality.assessment;
    await ok(harness, UPDATE_ENTRY, { input: { id, content: 'Short.' } });
    const second = (await ok(harness, ASSESS, { input: { entryId: id } })).assessQuality.assessment;
    expect(second.entryVersion).toBe(2);
    const data = await ok(
      harness,
      `query($id: ID!, $a: ID!) {
        entry(id: $id) { latestAssessment { id } assessments(first: 1) { edges { node { id entryVersion } } pageInfo { hasNextPage endCursor } } }
        assessment(id: $a) { id score entry { id } }
      }`,
      { id, a: first.id },
    );
    expect(data.entry.latestAssessment.id).toBe(second.id);
    expect(data.entry.assessments.edges).toEqual([{ node: { id: second.id, entryVersion: 2 } }]);
    expect(data.entry.assessments.pageInfo.hasNextPage).toBe(true);
    expect(data.assessment).toEqual({ id: first.id, score: first.score, entry: { id } });
    const next = await ok(harness, `query($id: ID!, $after: String) { entry(id: $id) { assessments(first: 5, after: $after) { edges { node { id } } } } }`, {
      id,
      after: data.entry.assessments.pageInfo.endCursor,
    });
    expect(next.entry.assessments.edges).toEqual([{ node: { id: first.id } }]);
  });

  it('an unknown assessor name is refused with UNKNOWN_ASSESSOR', async () => {
    const id = (await createEntry(harness, { content: TEXT })).id as string;
    const error = await fails(harness, 'BAD_USER_INPUT', ASSESS, { input: { entryId: id, assessor: 'gpt-judge' } });
    expect(error.extensions).toMatchObject({ reason: 'UNKNOWN_ASSESSOR', field: 'assessor' });
  });
});

describe('compareEntries', () => {
  const LEFT = 'The lamp is bright and elegant. It lights the whole room with a warm, pleasant glow.';
  const RIGHT = 'Lamp bad. Broken switch. Terrible light, awful.';

  it('stores TF-IDF cosine, Jaccard, edit distance, metric deltas and the winner by quality', async () => {
    const left = (await createEntry(harness, { id: uid('l'), content: LEFT })).id as string;
    const right = (await createEntry(harness, { id: uid('r'), content: RIGHT, model: 'llama-3' })).id as string;
    const { compareEntries } = await ok(harness, COMPARE, { input: { leftId: left, rightId: right } });
    const expected = compareContents(LEFT, RIGHT);
    const leftQuality = heuristicAssessor.assess({ content: LEFT, metrics: expected.leftMetrics }).score;
    const rightQuality = heuristicAssessor.assess({ content: RIGHT, metrics: expected.rightMetrics }).score;
    const comparison = compareEntries.comparison;
    expect(comparison).toMatchObject({
      similarity: expected.similarity,
      jaccard: expected.jaccard,
      editDistanceRatio: expected.editDistanceRatio,
      scores: expected.scores,
      metricDeltas: expected.metricDeltas,
      left: { entryId: left, version: 1, quality: leftQuality, metrics: expected.leftMetrics, entry: { id: left, version: 1, content: LEFT } },
      right: { entryId: right, version: 1, quality: rightQuality, metrics: expected.rightMetrics, entry: { id: right, version: 1, content: RIGHT } },
      winner: 'LEFT',
      winnerEntry: { id: left },
      analyzer: { name: 'basic-metrics', version: '1.0.0' },
      assessor: { name: 'heuristic', version: '1.0.0' },
      position: compareEntries.events[0].position,
    });
    expect(leftQuality).toBeGreaterThan(rightQuality);
    expect(comparison.similarity).toBeGreaterThan(0);
    expect(comparison.similarity).toBeLessThan(1);
    expect(compareEntries.events[0]).toMatchObject({ type: 'ComparisonRecorded', streamId: `comparison-${comparison.id}` });

    const read = await ok(
      harness,
      `query($id: ID!, $entry: ID) { comparison(id: $id) { ${COMPARISON_FIELDS} } comparisons(entryId: $entry) { edges { node { id } } } }`,
      {
        id: comparison.id,
        entry: right,
      },
    );
    expect(read.comparison).toEqual(comparison);
    expect(read.comparisons.edges).toEqual([{ node: { id: comparison.id } }]);
  });

  it('compares two versions of one entry', async () => {
    const id = (await createEntry(harness, { id: uid('e'), content: LEFT })).id as string;
    await ok(harness, UPDATE_ENTRY, { input: { id, content: RIGHT } });
    const { compareEntries } = await ok(harness, COMPARE, { input: { leftId: id, leftVersion: 1, rightId: id } });
    expect(compareEntries.comparison.left).toMatchObject({ entryId: id, version: 1, entry: { version: 1, content: LEFT } });
    expect(compareEntries.comparison.right).toMatchObject({ entryId: id, version: 2, entry: { version: 2, content: RIGHT } });
    expect(compareEntries.comparison.similarity).toBe(compareContents(LEFT, RIGHT).similarity);
  });

  it('refuses comparing an entry with itself, a deleted entry, an unknown entry or version', async () => {
    const a = (await createEntry(harness, { id: uid('a'), content: LEFT })).id as string;
    const b = (await createEntry(harness, { id: uid('b'), content: RIGHT })).id as string;
    const self = await fails(harness, 'BAD_USER_INPUT', COMPARE, { input: { leftId: a, rightId: a } });
    expect(self.extensions).toMatchObject({ reason: 'SELF_COMPARISON', field: 'rightId' });
    expect(self.message).toMatch(/cannot be compared with itself/);
    await ok(harness, DELETE_ENTRY, { input: { id: b } });
    const deleted = await fails(harness, 'BAD_USER_INPUT', COMPARE, { input: { leftId: a, rightId: b } });
    expect(deleted.extensions).toMatchObject({ reason: 'ENTRY_DELETED', field: 'rightId' });
    const missing = await fails(harness, 'NOT_FOUND', COMPARE, { input: { leftId: 'nope', rightId: a } });
    expect(missing.extensions).toMatchObject({ field: 'leftId' });
    const version = await fails(harness, 'BAD_USER_INPUT', COMPARE, { input: { leftId: a, rightId: a, rightVersion: 7 } });
    expect(version.extensions).toMatchObject({ reason: 'UNKNOWN_VERSION', field: 'rightVersion' });
  });
});

describe('bad input', () => {
  it('empty and over-100 KB content get coded errors and change nothing', async () => {
    const events = await eventCount(harness);
    const empty = await fails(harness, 'BAD_USER_INPUT', CREATE_ENTRY, { input: { model: 'gpt-4o', content: '   ' } });
    expect(empty.extensions).toEqual({ code: 'BAD_USER_INPUT', reason: 'CONTENT_EMPTY', field: 'content' });
    const big = await fails(harness, 'BAD_USER_INPUT', CREATE_ENTRY, { input: { model: 'gpt-4o', content: 'x'.repeat(100 * 1024 + 1) } });
    expect(big.extensions).toEqual({ code: 'BAD_USER_INPUT', reason: 'CONTENT_TOO_LARGE', field: 'content' });
    expect(big.message).toBe('content is 102401 bytes; the limit is 102400 bytes (100 KB)');
    const id = (await createEntry(harness, { content: TEXT })).id as string;
    const before = await eventCount(harness);
    await fails(harness, 'BAD_USER_INPUT', UPDATE_ENTRY, { input: { id, content: '' } });
    await fails(harness, 'BAD_USER_INPUT', UPDATE_ENTRY, { input: { id, content: 'é'.repeat(60_000) } });
    await fails(harness, 'BAD_USER_INPUT', CREATE_ENTRY, { input: { model: '', content: 'x' } });
    expect(await eventCount(harness)).toBe(before);
    expect(before).toBe(events + 1);
  });

  it('exactly 100 KB is accepted', async () => {
    const entry = await createEntry(harness, { content: 'word '.repeat(20 * 1024) });
    expect(entry.metrics.words).toBe(20 * 1024);
  });
});

describe('lists and entities', () => {
  it('entries pages newest first and filters by model and subject', async () => {
    const model = uid('m');
    const ids: string[] = [];
    for (let index = 0; index < 5; index += 1) {
      ids.push(
        (
          await createEntry(harness, {
            id: `${model}-${index}`,
            model,
            content: `Entry number ${index}.`,
            subject: index % 2 ? { type: 'PRODUCT', id: `p-${model}` } : undefined,
          })
        ).id,
      );
    }
    const query = `query($model: String, $after: String, $type: EntrySubjectType, $subject: ID) {
      entries(model: $model, first: 2, after: $after, subjectType: $type, subjectId: $subject) { edges { node { id } } pageInfo { hasNextPage endCursor } }
    }`;
    const seen: string[] = [];
    let after: string | null = null;
    for (;;) {
      const page: { entries: { edges: Array<{ node: { id: string } }>; pageInfo: { hasNextPage: boolean; endCursor: string } } } = await ok(harness, query, {
        model,
        after,
      });
      seen.push(...page.entries.edges.map((edge) => edge.node.id));
      if (!page.entries.pageInfo.hasNextPage) break;
      after = page.entries.pageInfo.endCursor;
    }
    expect(seen).toEqual([...ids].reverse());
    const bySubject = await ok(harness, query, { type: 'PRODUCT', subject: `p-${model}` });
    expect(bySubject.entries.edges.map((edge: { node: { id: string } }) => edge.node.id)).toEqual([ids[3], ids[1]]);
    await fails(harness, 'BAD_USER_INPUT', query, { after: 'not-a-cursor' });
  });

  it('resolves Campaign and Product by id: creatives, bestCreative and generatedDescriptions', async () => {
    const campaign = uid('camp');
    const product = uid('prod');
    const weak = (await createEntry(harness, { id: uid('weak'), content: 'Bad.', subject: { type: 'CAMPAIGN', id: campaign } })).id;
    const strong = (await createEntry(harness, { id: uid('strong'), prompt: PROMPT, content: TEXT, subject: { type: 'CAMPAIGN', id: campaign } })).id;
    const unassessed = (await createEntry(harness, { id: uid('new'), content: TEXT, subject: { type: 'CAMPAIGN', id: campaign } })).id;
    const description = (await createEntry(harness, { id: uid('desc'), content: TEXT, subject: { type: 'PRODUCT', id: product } })).id;
    const query = `query($reps: [_Any!]!) { _entities(representations: $reps) {
      ... on Campaign { id creatives { id campaign { id } } bestCreative { id content latestAssessment { score } } }
      ... on Product { id generatedDescriptions { id product { id } } }
      ... on HistoryEntry { id model }
    } }`;
    const reps = [
      { __typename: 'Campaign', id: campaign },
      { __typename: 'Product', id: product },
      { __typename: 'HistoryEntry', id: description },
    ];
    const before = (await ok(harness, query, { reps }))._entities;
    expect(before[0]).toEqual({ id: campaign, creatives: [weak, strong, unassessed].map((id) => ({ id, campaign: { id: campaign } })), bestCreative: null });
    expect(before[1]).toEqual({ id: product, generatedDescriptions: [{ id: description, product: { id: product } }] });
    expect(before[2]).toEqual({ id: description, model: 'gpt-4o' });

    await ok(harness, ASSESS, { input: { entryId: weak } });
    const scored = (await ok(harness, ASSESS, { input: { entryId: strong } })).assessQuality.assessment.score;
    const after = (await ok(harness, query, { reps }))._entities;
    expect(after[0].bestCreative).toEqual({ id: strong, content: TEXT, latestAssessment: { score: scored } });

    // Creatives read with their latest assessments (one joined statement) show the same assessments
    // as entries read one by one.
    const fields = 'id entryId entryVersion model score dimensions { name score } assessor { name version } jobId assessedAt position';
    const joined = (
      await ok(
        harness,
        `query($reps: [_Any!]!) { _entities(representations: $reps) { ... on Campaign { creatives { id latestAssessment { ${fields} } } } } }`,
        {
          reps: [{ __typename: 'Campaign', id: campaign }],
        },
      )
    )._entities[0].creatives;
    for (const creative of joined) {
      const { entry } = await ok(harness, `query($id: ID!) { entry(id: $id) { latestAssessment { ${fields} } } }`, { id: creative.id });
      expect(creative.latestAssessment).toEqual(entry.latestAssessment);
    }
    expect(joined.map((creative: { latestAssessment: unknown }) => creative.latestAssessment !== null)).toEqual([true, true, false]);
  });

  it('reports the analyzers in use and the registered ones', async () => {
    const { analyzers } = await ok(
      harness,
      `{ analyzers { analyzer { name version } assessor { name } similarity { name } registered { analyzers { name } assessors { name } similarity { name } } } }`,
    );
    expect(analyzers).toEqual({
      analyzer: { name: 'basic-metrics', version: '1.0.0' },
      assessor: { name: 'heuristic' },
      similarity: [{ name: 'tfidf-cosine' }, { name: 'jaccard' }, { name: 'edit-distance' }],
      registered: {
        analyzers: [{ name: 'basic-metrics' }],
        assessors: [{ name: 'heuristic' }],
        similarity: [{ name: 'tfidf-cosine' }, { name: 'jaccard' }, { name: 'edit-distance' }],
      },
    });
  });
});
