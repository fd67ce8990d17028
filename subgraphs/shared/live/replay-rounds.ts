import { cursorOf, isAfter, type EventStore, type LogCursor, type RecordedEvent } from '../event-store/contract.js';

/** A follower that needs the log after its cursor from the store (see ReplayRounds). */
export interface RoundMember {
  /** Its stream categories, sorted and without repeats: members of one set share reads. */
  readonly categories: readonly string[];
  /** Preferred page size when this member starts a round. */
  readonly pageSize?: number | undefined;
  /** Everything up to here it has; it needs what follows. */
  cursor(): LogCursor;
  /**
   * Events right after its cursor, in log order. It takes them in order while it has room;
   * 'full' when it had to stop (it leaves the round and joins again once it has room).
   */
  take(events: readonly RecordedEvent[]): 'more' | 'full';
  /** It has the log up to a read that started after it joined: it may go live. */
  caughtUp(): void;
  /** A read failed; it has left the round. */
  failed(error: unknown): void;
}

/** Reads of a page before a round gives up (about 1.5 s of back-off). */
const READ_ATTEMPTS = 5;

interface Round {
  readonly key: string;
  readonly categories: readonly string[];
  readonly pageSize: number;
  /** Each member, with how many reads of the round had started when it joined. */
  readonly members: Map<RoundMember, number>;
  /** Members behind the round's position when they came: the next round starts with them. */
  readonly waiting: Set<RoundMember>;
  /** Where the next read starts. */
  next: LogCursor;
  /** The last page read and where it started (a newcomer whose cursor is inside it joins). */
  page: { readonly from: LogCursor; readonly events: readonly RecordedEvent[] } | undefined;
  readsStarted: number;
}

/** The events of a page (in log order) that come after `cursor`. */
function eventsAfter(page: readonly RecordedEvent[], cursor: LogCursor): readonly RecordedEvent[] {
  let low = 0;
  let high = page.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (isAfter(page[middle]!, cursor)) high = middle;
    else low = middle + 1;
  }
  return low === 0 ? page : page.slice(low);
}

/**
 * Catch-up reads shared by every follower of one set of categories: one round at a time per set
 * reads the log page by page (`readAll`, commit-safe) from the earliest cursor among its members,
 * and hands each page to every member, which takes what follows its own cursor. A follower that
 * comes while a round runs joins it if the round has not passed its cursor, and otherwise waits
 * for the next round, which starts from the earliest of those waiting. So a burst of resumptions
 * from nearby positions (a router reconnecting its upstream socket) costs about one replay, not
 * one per subscription, and memory holds one page per round whatever the number of members.
 *
 * A member is caught up by a page shorter than the page size whose read started after it joined:
 * a read already under way when it came may predate events it is missing.
 */
export class ReplayRounds {
  private readonly rounds = new Map<string, Round>();
  private reads = 0;

  constructor(
    private readonly store: EventStore,
    private readonly defaultPageSize: number,
  ) {}

  /** `readAll` calls made so far (metrics, tests). */
  get storeReads(): number {
    return this.reads;
  }

  /** Rounds running now. */
  get running(): number {
    return this.rounds.size;
  }

  /** Adds `member` to its set's round, starting one if none runs. */
  join(member: RoundMember): void {
    const key = member.categories.join('\u0000');
    const round = this.rounds.get(key);
    if (!round) {
      this.start(key, [member]);
      return;
    }
    const cursor = member.cursor();
    if (round.readsStarted === 0) {
      // Still gathering: the first read starts from the earliest cursor.
      if (isAfter(round.next, cursor)) round.next = cursor;
      round.members.set(member, 0);
      return;
    }
    const floor = round.page?.from ?? round.next;
    if (isAfter(floor, cursor)) {
      round.waiting.add(member);
      return;
    }
    if (round.page && !this.offer(round, member, eventsAfter(round.page.events, cursor))) return;
    round.members.set(member, round.readsStarted);
  }

  /**
   * Hands `events` to `member`; false when it stopped taking (full, or its filter threw: it is
   * then failed), in which case it is no longer a member.
   */
  private offer(round: Round, member: RoundMember, events: readonly RecordedEvent[]): boolean {
    if (events.length === 0) return true;
    let outcome: 'more' | 'full';
    try {
      outcome = member.take(events);
    } catch (error) {
      round.members.delete(member);
      member.failed(error);
      return false;
    }
    if (outcome === 'more') return true;
    round.members.delete(member);
    return false;
  }

  /** Takes `member` out of any round (it stopped). */
  leave(member: RoundMember): void {
    const round = this.rounds.get(member.categories.join('\u0000'));
    round?.members.delete(member);
    round?.waiting.delete(member);
  }

  /** One page after `from`; a failed read is tried again a few times before the members fail. */
  private async read(round: Round, from: LogCursor): Promise<RecordedEvent[]> {
    for (let attempt = 1; ; attempt += 1) {
      try {
        const page = await this.store.readAll(from, { categories: round.categories, limit: round.pageSize });
        this.reads += 1;
        return page;
      } catch (error) {
        if (attempt >= READ_ATTEMPTS) throw error;
        await new Promise((resolve) => setTimeout(resolve, 50 * 2 ** attempt));
      }
    }
  }

  private start(key: string, members: readonly RoundMember[]): void {
    let next = members[0]!.cursor();
    for (const member of members) if (isAfter(next, member.cursor())) next = member.cursor();
    const round: Round = {
      key,
      categories: members[0]!.categories,
      pageSize: members[0]!.pageSize ?? this.defaultPageSize,
      members: new Map(members.map((member) => [member, 0])),
      waiting: new Set(),
      next,
      page: undefined,
      readsStarted: 0,
    };
    this.rounds.set(key, round);
    void this.run(round);
  }

  private async run(round: Round): Promise<void> {
    // Members that arrive in the same turn of the event loop (a burst of resumptions) join
    // before the first read.
    await new Promise<void>((resolve) => setImmediate(resolve));
    while (round.members.size > 0) {
      round.readsStarted += 1;
      const read = round.readsStarted;
      const from = round.next;
      let page: RecordedEvent[];
      try {
        page = await this.read(round, from);
      } catch (error) {
        const failed = [...round.members.keys()];
        round.members.clear();
        for (const member of failed) member.failed(error);
        break;
      }
      for (const member of [...round.members.keys()]) {
        if (round.members.has(member)) this.offer(round, member, eventsAfter(page, member.cursor()));
      }
      if (page.length > 0) {
        round.page = { from, events: page };
        round.next = cursorOf(page[page.length - 1]!);
      }
      if (page.length < round.pageSize) {
        for (const [member, joinedAt] of [...round.members]) {
          if (joinedAt >= read || round.members.get(member) !== joinedAt) continue;
          round.members.delete(member);
          // May join again at once (it lost events meanwhile): it then needs a later read.
          try {
            member.caughtUp();
          } catch (error) {
            this.leave(member);
            member.failed(error);
          }
        }
      }
    }
    this.rounds.delete(round.key);
    if (round.waiting.size > 0) this.start(round.key, [...round.waiting]);
  }
}
