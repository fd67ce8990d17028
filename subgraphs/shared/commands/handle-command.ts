import type { Decider, DomainEvent } from '../decider/decider.js';
import type { SqlClient } from '../database/sql.js';
import { badInput } from '../errors/codes.js';
import type { EventMetadata, RecordedEvent } from '../event-store/contract.js';
import type { EventSchema } from '../event-store/event-schema.js';
import type { SnapshotPolicy } from '../snapshots/contract.js';
import { commandFailure } from './command-failure.js';
import { checkDeadline, currentDeadline } from './deadline.js';
import { decideTogether } from './decide-together.js';
import { runAlone } from './run-alone.js';
import { StreamBatches } from './stream-batches.js';

/** A command aimed at one stream, decided by a decider, with its inline projections. */
export interface StreamCommand<Command, Event extends DomainEvent, State> {
  readonly streamId: string;
  /** The events the stream holds: its history is read through this schema (type checked, upcast). */
  readonly events: EventSchema<Event>;
  readonly decider: Decider<Command, Event, State>;
  readonly command: Command;
  /** The client's expectation: when given, a mismatch is reported instead of retried. */
  readonly expectedVersion?: number | null;
  readonly metadata: EventMetadata;
  readonly idempotencyKey?: string | null;
  /**
   * What an idempotency key is bound to; defaults to the stream and the command. A command holding
   * values the server chose (a generated id, the current time) passes the client's request instead,
   * so that a retry of the same request replays rather than counting as a different command.
   */
  readonly idempotencyScope?: unknown;
  /**
   * Start from the stream's saved decider state instead of its first event, and save a new one
   * every `every` events: for streams that grow without end (a stock level's movements).
   */
  readonly snapshots?: SnapshotPolicy;
  /**
   * Checks against read models before deciding (e.g. that referenced entities exist). It must not
   * depend on this stream's own read-model rows: commands decided together (see handleCommand)
   * run their prechecks before their projections.
   */
  readonly precheck?: (tx: SqlClient) => Promise<void>;
  /**
   * Inline projections: update read models in the same transaction as the append. Receives the
   * events read and appended (`history`: the stream's whole history without `snapshots`, so a
   * projection can fold it the same way a rebuild does; with them, only the events after the
   * snapshot), the new events and the decider's state after them. A stream's commands share one
   * projection: when several are decided together, it runs once for all their events.
   */
  project?(tx: SqlClient, stream: { history: Array<RecordedEvent<Event>>; appended: Array<RecordedEvent<Event>>; state: State }): Promise<void>;
  /**
   * When the caller stops waiting (ms since the epoch); by default the deadline the router sent
   * with the request (see withDeadline). Past it the command is not started, and a command that
   * would commit after it is rolled back.
   */
  readonly deadline?: number;
}

/** What a handled command produced. */
export interface CommandOutcome<Event extends DomainEvent = DomainEvent> {
  readonly events: Array<RecordedEvent<Event>>;
  /** Stream version after the command. */
  readonly version: number;
  /** True when an idempotency key matched an earlier identical command: nothing was appended. */
  readonly replayed: boolean;
}

/**
 * How concurrent commands on one stream are ordered. `serialized` (the default): they take turns
 * (queued in the process, then through the stream's advisory lock in the database), so each is
 * decided against the state the previous one left and none is bounced with CONCURRENCY_CONFLICT
 * unless its client sent an `expectedVersion` that no longer holds. `optimistic` is how commands
 * ran before: no lock, and a writer that lost the race starts over, up to 20 times (then the
 * client gets CONCURRENCY_CONFLICT); it is kept only so that benchmarks can compare the two.
 */
export type CommandConcurrency = 'serialized' | 'optimistic';

/** Internal options of {@link handleCommand}; the platform uses the defaults. */
export interface HandleCommandOptions {
  readonly concurrency?: CommandConcurrency;
}

/** A command with its types erased, as it waits in a stream's queue (see queuedCommand). */
export type QueuedCommand = StreamCommand<unknown, DomainEvent, unknown>;

/** Most commands of one stream decided in one transaction. */
const MAX_BATCH = 200;

/** The command queues of each database handle. */
const batchesBySql = new WeakMap<SqlClient, StreamBatches<QueuedCommand, CommandOutcome>>();

function batchesOf(sql: SqlClient): StreamBatches<QueuedCommand, CommandOutcome> {
  let batches = batchesBySql.get(sql);
  if (!batches) {
    batches = new StreamBatches((_streamId, specs) => decideTogether(sql, specs), MAX_BATCH);
    batchesBySql.set(sql, batches);
  }
  return batches;
}

/**
 * Erases a command's types for the queue (the compiler allows it: `decide`, `evolve` and `project`
 * are methods, whose parameters it compares both ways). Sound because nothing mixes them: the
 * queue runs each command's own functions on its own command, and on states and events its
 * stream's decider and schema produced (one stream has one decider and one event union).
 */
function queuedCommand<Command, Event extends DomainEvent, State>(spec: StreamCommand<Command, Event, State>): QueuedCommand {
  return spec;
}

/**
 * Load → decide → append → project, in one transaction. Commands on one stream take turns (see
 * CommandConcurrency), each deciding against the state the previous one committed: under any
 * concurrency every command is decided (it succeeds or is refused by the decider) and invariants
 * hold. With a client expectedVersion, a stream that moved past it is reported, not retried.
 *
 * Commands that queued up behind a stream's running transaction are decided together in the
 * next one (those without an idempotency key; one with a key runs alone): the stream is read once,
 * each command is decided in turn against the state the previous left (a refused one changes
 * nothing and gets its own error), and the events of consecutive commands with the same metadata
 * are appended in one statement. If the transaction fails for another reason, each command is
 * run again on its own.
 *
 * A command keeps to its deadline (the router's): it is not started past it, its statements are
 * bounded by the time left, and it is rolled back rather than committed after it.
 *
 * Commands decided against read models rather than their stream's events (ingestion) are handled
 * in batches by handleCommandBatch, in the same command transaction (commandTransaction).
 */
export async function handleCommand<Command, Event extends DomainEvent, State>(
  sql: SqlClient,
  spec: StreamCommand<Command, Event, State>,
  options: HandleCommandOptions = {},
): Promise<CommandOutcome<Event>> {
  const expected = spec.expectedVersion;
  if (expected != null && (!Number.isSafeInteger(expected) || expected < 0)) {
    throw badInput(`expectedVersion must be a non-negative integer, got ${expected}`, 'expectedVersion');
  }
  const deadline = spec.deadline ?? currentDeadline();
  checkDeadline(deadline);
  const bounded = deadline === undefined || spec.deadline === deadline ? spec : { ...spec, deadline };
  try {
    if (options.concurrency === 'optimistic') return await runAlone(sql, bounded, false);
    const outcome = await batchesOf(sql).submit(spec.streamId, queuedCommand(bounded), !spec.idempotencyKey);
    // Typed again by the command's own schema (the queue erased it): a lookup per event, no copy.
    return { ...outcome, events: outcome.events.map((event) => spec.events.decode(event)) };
  } catch (error) {
    throw commandFailure(error, deadline);
  }
}
