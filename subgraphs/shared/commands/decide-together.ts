import { foldEvents, type DomainEvent } from '../decider/decider.js';
import type { SqlClient } from '../database/sql.js';
import { concurrencyConflict, isDomainError } from '../errors/codes.js';
import type { RecordedEvent } from '../event-store/contract.js';
import { SqlEventStore } from '../event-store/sql-event-store.js';
import type { CommandOutcome, QueuedCommand } from './handle-command.js';
import { commandTransaction, singleTry } from './command-transaction.js';
import { COMMIT_MARGIN_MS, deadlineExceeded } from './deadline.js';
import { runAlone } from './run-alone.js';
import type { Settled } from './stream-batches.js';
import { lockStream } from './stream-lock.js';
import { loadStream, saveSnapshotIfDue } from './stream-state.js';

/** A command of the batch the decider accepted, and the stream version before its events. */
interface Decided {
  readonly index: number;
  readonly spec: QueuedCommand;
  readonly events: readonly DomainEvent[];
  readonly before: number;
}

const settle = <T>(work: Promise<T>): Promise<Settled<T>> =>
  work.then(
    (value) => ({ ok: true, value }),
    (error: unknown) => ({ ok: false, error }),
  );

/**
 * Decides commands of one stream (queued in this order, none with an idempotency key) in one
 * transaction, each against the state the previous ones left. A refusal (a DomainError: the
 * decider's, a precheck's, a stale client expectedVersion) is that command's answer and changes
 * nothing; any other failure undoes the transaction, and then each command runs on its own.
 */
export async function decideTogether(sql: SqlClient, queued: readonly QueuedCommand[]): Promise<Array<Settled<CommandOutcome>>> {
  // A command that waited past its deadline is not started.
  const late = queued.map((spec) => spec.deadline !== undefined && Date.now() > spec.deadline - COMMIT_MARGIN_MS);
  const specs = queued.filter((_spec, index) => !late[index]);
  const decided = await decideInTime(sql, specs);
  let next = 0;
  return queued.map((spec, index) => (late[index] ? { ok: false, error: deadlineExceeded(spec.deadline!) } : decided[next++]!));
}

async function decideInTime(sql: SqlClient, specs: readonly QueuedCommand[]): Promise<Array<Settled<CommandOutcome>>> {
  if (specs.length === 0) return [];
  if (specs.length === 1) return [await settle(runAlone(sql, specs[0]!, true))];
  // The batch keeps to the earliest deadline among its commands.
  const deadlines = specs.map((spec) => spec.deadline).filter((deadline): deadline is number => deadline !== undefined);
  const deadline = deadlines.length > 0 ? Math.min(...deadlines) : undefined;
  try {
    // One try: a failure is each command's own to retry, below.
    return await commandTransaction(sql, { deadline, retry: singleTry }, (tx) => decideInTransaction(tx, specs));
  } catch {
    // One batch failure (a deadline among them included) must not decide for all: each runs on its own.
    const outcomes: Array<Settled<CommandOutcome>> = [];
    for (const spec of specs) outcomes.push(await settle(runAlone(sql, spec, true)));
    return outcomes;
  }
}

async function decideInTransaction(tx: SqlClient, specs: readonly QueuedCommand[]): Promise<Array<Settled<CommandOutcome>>> {
  const lead = specs[0]!;
  await lockStream(tx, lead.streamId);
  const stream = await loadStream(tx, lead);
  const outcomes = new Array<Settled<CommandOutcome>>(specs.length);
  const decided: Decided[] = [];
  let state = stream.state;
  let version = stream.version;
  for (const [index, spec] of specs.entries()) {
    try {
      await spec.precheck?.(tx);
      if (spec.expectedVersion != null && spec.expectedVersion !== version) throw concurrencyConflict(spec.streamId, spec.expectedVersion, version);
      const events = spec.decider.decide(spec.command, state);
      state = foldEvents(spec.decider, events, state);
      decided.push({ index, spec, events, before: version });
      version += events.length;
    } catch (error) {
      if (!isDomainError(error)) throw error;
      outcomes[index] = { ok: false, error };
    }
  }
  const recorded = await appendInRuns(tx, lead, decided);
  await saveSnapshotIfDue(tx, lead, stream, version, state);
  const appended = recorded.flat();
  // One projection for the whole batch (a stream's commands share theirs), as of the last state.
  const last = decided[decided.length - 1];
  await last?.spec.project?.(tx, { history: [...stream.history, ...appended], appended, state });
  decided.forEach((entry, position) => {
    outcomes[entry.index] = { ok: true, value: { events: recorded[position]!, version: entry.before + entry.events.length, replayed: false } };
  });
  // Past the earliest deadline right before COMMIT, the batch is undone and its commands run alone.
  return outcomes;
}

/**
 * Appends the decided events, one statement per run of consecutive commands with the same
 * metadata (an event's metadata is its command's); returns each command's recorded events.
 */
async function appendInRuns(tx: SqlClient, lead: QueuedCommand, decided: readonly Decided[]): Promise<RecordedEvent[][]> {
  const { streamId } = lead;
  const store = new SqlEventStore(tx, lead.events);
  const recorded: RecordedEvent[][] = [];
  let start = 0;
  while (start < decided.length) {
    const metadata = JSON.stringify(decided[start]!.spec.metadata);
    let end = start + 1;
    while (end < decided.length && JSON.stringify(decided[end]!.spec.metadata) === metadata) end += 1;
    const run = decided.slice(start, end);
    const events = run.flatMap((entry) => entry.events);
    const appended =
      events.length === 0 ? [] : (await store.appendToStream(streamId, events, { expectedVersion: run[0]!.before, metadata: run[0]!.spec.metadata })).events;
    let offset = 0;
    for (const entry of run) {
      recorded.push(appended.slice(offset, offset + entry.events.length));
      offset += entry.events.length;
    }
    start = end;
  }
  return recorded;
}
