import type { Client } from 'graphql-ws';
import { expect } from 'vitest';
import { historyCommands } from '../../../subgraphs/history/commands/history-commands.js';
import { createHistoryPlugins } from '../../../subgraphs/history/config.js';
import { handleCommand } from '../../../subgraphs/shared/commands/handle-command.js';
import type { Platform } from '../../../subgraphs/shared/platform.js';
import type { HistoryHarness } from '../../support/history-harness.js';
import { fails, ok } from '../../support/graphql-assertions.js';
import { pollUntil, sleep, uid } from '../../support/waiting.js';
import { subgraphWsClient } from '../../support/security.js';

export { sleep, uid };

/** Polls `condition` until it holds; fails with `message` after `timeoutMs`. */
export const waitFor = (condition: () => boolean | Promise<boolean>, message = 'condition', timeoutMs = 30_000): Promise<void> =>
  pollUntil(condition, message, timeoutMs);

// ── GraphQL documents ────────────────────────────────────────────────────────────────────────

export const EVENT_FIELDS = `position streamId version type data occurredAt metadata { correlationId causationId actor idempotencyKey }`;
export const METRICS_FIELDS = `words sentences averageWordLength averageSentenceLength lexicalDiversity readability sentiment`;
export const ASSESSMENT_FIELDS = `id entryId entryVersion model score dimensions { name score } assessor { name version } jobId assessedAt position`;
export const ENTRY_FIELDS = `id model prompt content version latestVersion streamVersion deleted deletedAt deleteReason
  metrics { ${METRICS_FIELDS} } analyzer { name version } subjectType subjectId createdAt updatedAt`;

export const CREATE_ENTRY = `mutation($input: CreateEntryInput!) {
  createEntry(input: $input) { entry { ${ENTRY_FIELDS} } events { ${EVENT_FIELDS} } replayed }
}`;
export const UPDATE_ENTRY = `mutation($input: UpdateEntryInput!) {
  updateEntry(input: $input) { entry { ${ENTRY_FIELDS} versions { version content prompt metrics { words } position createdAt } } events { ${EVENT_FIELDS} } replayed }
}`;
export const DELETE_ENTRY = `mutation($input: DeleteEntryInput!) {
  deleteEntry(input: $input) { entry { ${ENTRY_FIELDS} } events { ${EVENT_FIELDS} } replayed }
}`;
export const ASSESS = `mutation($input: AssessQualityInput!) {
  assessQuality(input: $input) {
    assessment { ${ASSESSMENT_FIELDS} }
    entry { id streamVersion latestAssessment { id score } }
    events { ${EVENT_FIELDS} } replayed
  }
}`;
export const COMPARISON_FIELDS = `id similarity jaccard editDistanceRatio winner
  scores { name version value }
  metricDeltas { ${METRICS_FIELDS} }
  left { entryId version quality metrics { ${METRICS_FIELDS} } entry { id version content } }
  right { entryId version quality metrics { ${METRICS_FIELDS} } entry { id version content } }
  winnerEntry { id } analyzer { name version } assessor { name version } comparedAt position`;
export const COMPARE = `mutation($input: CompareEntriesInput!) {
  compareEntries(input: $input) { comparison { ${COMPARISON_FIELDS} } events { ${EVENT_FIELDS} } replayed }
}`;
export const JOB_FIELDS = `id status total processed assessed skipped progress error position startedAt finishedAt
  filter { model subjectType subjectId createdAfter createdBefore } assessor { name version }`;
export const START_ANALYSIS = `mutation($input: StartAnalysisInput!) {
  startAnalysis(input: $input) { job { ${JOB_FIELDS} } events { ${EVENT_FIELDS} } replayed }
}`;
export const ENTRY = `query($id: ID!, $version: Int) { entry(id: $id, version: $version) { ${ENTRY_FIELDS} } }`;
export const ANALYTICS_FIELDS = `model entries assessedEntries assessments meanQuality p50Quality p90Quality histogram { from count }
  trend(days: 7) { day assessments meanQuality } updatedAt`;

// ── calls ────────────────────────────────────────────────────────────────────────────────────

export { fails, ok };

/** Creates an entry over HTTP and returns the payload's entry. */
export async function createEntry(
  harness: HistoryHarness,
  input: { id?: string; model?: string; prompt?: string | null; content: string; subject?: { type: string; id: string } },
): Promise<Record<string, any>> {
  const { createEntry: payload } = await ok(harness, CREATE_ENTRY, { input: { model: 'gpt-4o', ...input } });
  return payload.entry;
}

export async function eventCount(harness: HistoryHarness): Promise<number> {
  const [row] = await harness.platform.db.sql.query<{ count: string }>('SELECT count(*)::text AS count FROM events');
  return Number(row?.count ?? 0);
}

// ── graphql-ws ───────────────────────────────────────────────────────────────────────────────

export function wsClient(harness: HistoryHarness): Client {
  return subgraphWsClient(harness.wsUrl);
}

/** Collects what one subscription delivers. */
export class SubscriptionProbe<Item = Record<string, any>> {
  readonly items: Item[] = [];
  readonly errors: Array<{ message: string; extensions?: Record<string, any> }> = [];
  completed = false;
  private readonly dispose: () => void;

  constructor(client: Client, query: string, variables: Record<string, unknown> = {}) {
    this.dispose = client.subscribe<Record<string, unknown>>(
      { query, variables },
      {
        next: (result) => {
          if (result.errors) this.errors.push(...(result.errors as SubscriptionProbe['errors']));
          if (result.data) this.items.push(Object.values(result.data)[0] as Item);
        },
        error: (error) => {
          this.errors.push(Array.isArray(error) ? (error[0] as SubscriptionProbe['errors'][number]) : { message: String((error as Error).message ?? error) });
        },
        complete: () => {
          this.completed = true;
        },
      },
    );
  }

  async waitForItems(count: number, timeoutMs = 30_000): Promise<Item[]> {
    await waitFor(() => this.items.length >= count || this.errors.length > 0, `${count} subscription items (got ${this.items.length})`, timeoutMs);
    if (this.errors.length > 0) throw new Error(`subscription failed: ${JSON.stringify(this.errors)}`);
    return this.items.slice(0, count);
  }

  async waitForCompletion(timeoutMs = 60_000): Promise<Item[]> {
    await waitFor(() => this.completed || this.errors.length > 0, 'the subscription to complete', timeoutMs);
    if (this.errors.length > 0) throw new Error(`subscription failed: ${JSON.stringify(this.errors)}`);
    return this.items;
  }

  stop(): void {
    this.dispose();
  }
}

/** Subscribes and waits until the resolver subscribed to the bus, so later commits reach it live. */
export async function subscribeLive<Item = Record<string, any>>(
  harness: HistoryHarness,
  client: Client,
  query: string,
  variables: Record<string, unknown>,
  categories = 1,
): Promise<SubscriptionProbe<Item>> {
  const before = harness.busSubscriptions();
  const probe = new SubscriptionProbe<Item>(client, query, variables);
  await waitFor(() => harness.busSubscriptions() >= before + categories || probe.errors.length > 0 || probe.completed, 'the bus subscription');
  return probe;
}

export function expectStrictlyIncreasing(values: readonly bigint[]): void {
  for (let index = 1; index < values.length; index += 1) {
    expect(values[index]! > values[index - 1]!, `position ${values[index]} after ${values[index - 1]}`).toBe(true);
  }
}

// ── seeding ──────────────────────────────────────────────────────────────────────────────────

/**
 * Creates many entries through the real commands (decider, inline projections) in ONE database
 * transaction: nested command transactions become savepoints. Much faster than one commit each
 * on the embedded database; the result is the same events and read models.
 */
export async function seedEntries(
  harness: HistoryHarness,
  inputs: ReadonlyArray<{ id: string; model: string; content: string; prompt?: string | null; subject?: { type: 'CAMPAIGN' | 'PRODUCT'; id: string } | null }>,
): Promise<void> {
  const { platform } = harness;
  await platform.db.sql.transaction(async (tx) => {
    const facade: Platform = {
      ...platform,
      db: { ...platform.db, sql: tx },
      execute: (spec) => handleCommand(tx, spec),
    };
    const commands = historyCommands(facade, createHistoryPlugins({ config: {} }));
    for (const input of inputs) await commands.createEntry(input, { correlationId: 'seed' });
  });
  platform.publisher.wake();
}
