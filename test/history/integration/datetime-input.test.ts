import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DomainError } from '../../../subgraphs/shared/errors/codes.js';
import { startHistoryHarness, type HistoryHarness } from '../../support/history-harness.js';
import { START_ANALYSIS, fails, ok, uid } from './helpers.js';

let harness: HistoryHarness;
const metadata = { correlationId: 'datetime-input-test' };

beforeAll(async () => {
  harness = await startHistoryHarness({ history: { jobs: { run: false } } });
}, 300_000);

afterAll(async () => {
  await harness?.close();
}, 120_000);

describe('DateTime inputs of the history subgraph', () => {
  it('takes a filter instant with an offset and keeps it in UTC', async () => {
    const data = await ok(harness, START_ANALYSIS, {
      input: { id: uid('job'), filter: { model: uid('m'), createdAfter: '2026-01-01T01:00:00+01:00', createdBefore: '2026-01-31T12:00:00.5-03:00' } },
    });
    expect(data.startAnalysis.job.filter).toMatchObject({ createdAfter: '2026-01-01T00:00:00.000Z', createdBefore: '2026-01-31T15:00:00.500Z' });
  });

  it('refuses a filter instant without an offset, over HTTP and in the command layer, with BAD_USER_INPUT', async () => {
    for (const createdAfter of ['2026-01-01T00:00:00', '2026-01-01', '2026-01-01T00:00Z']) {
      const error = await fails(harness, 'BAD_USER_INPUT', START_ANALYSIS, { input: { filter: { createdAfter } } });
      expect(error.message).toMatch(/RFC 3339 date-time with an offset or Z/);
      const refused = await harness.commands.startAnalysis({ filter: { createdAfter } }, metadata).catch((failure: unknown) => failure);
      expect(refused).toBeInstanceOf(DomainError);
      expect(refused).toMatchObject({ code: 'BAD_USER_INPUT', extensions: { field: 'filter.createdAfter' } });
    }
  });
});
