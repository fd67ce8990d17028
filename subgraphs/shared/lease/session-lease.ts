import type { SqlClient, SqlSession } from '../database/sql.js';

/** First half of the advisory lock key of a lease; the second is `hashtext(name)`. */
const LEASE_LOCK = 0x7472_6962; // "trib"

/**
 * The lease names held in this process, by session. Advisory locks are reentrant within a
 * session, so holders sharing one (PGlite's only session) exclude each other here; on PostgreSQL
 * each holder has a connection of its own and the lock alone decides.
 */
const heldBySession = new WeakMap<SqlSession, Set<string>>();

/** A lease held through a session advisory lock: one holder per name and database. */
export interface Lease {
  /** Gives the lease up (on this session, which stays usable). */
  release(): Promise<void>;
}

/**
 * Takes lease `name` on `session` if nobody holds it, without waiting. PostgreSQL releases the
 * lock when the session's connection closes, so a dead holder's successor takes over at its next
 * attempt.
 */
export async function tryTakeLease(session: SqlSession, name: string): Promise<Lease | undefined> {
  let held = heldBySession.get(session);
  if (held?.has(name)) return undefined;
  if (!held) heldBySession.set(session, (held = new Set()));
  // Claimed before the query so that two holders of one session cannot both get through.
  held.add(name);
  const forget = () => {
    held.delete(name);
    if (held.size === 0) heldBySession.delete(session);
  };
  try {
    const rows = await session.query<{ locked: boolean }>('SELECT pg_try_advisory_lock($1, hashtext($2)) AS locked', [LEASE_LOCK, name]);
    if (rows[0]?.locked !== true) {
      forget();
      return undefined;
    }
  } catch (error) {
    forget();
    throw error;
  }
  let released = false;
  return {
    release: async () => {
      if (released) return;
      released = true;
      try {
        await session.query('SELECT pg_advisory_unlock($1, hashtext($2))', [LEASE_LOCK, name]);
      } finally {
        forget();
      }
    },
  };
}

/** The backend pid of the session holding lease `name`, if any (operations and tests). */
export async function leaseHolderPid(sql: SqlClient, name: string): Promise<number | undefined> {
  // A two-key advisory lock shows as classid = key 1, objid = key 2 (as an unsigned oid), objsubid = 2.
  const rows = await sql.query<{ pid: number }>(
    `SELECT pid FROM pg_locks
     WHERE locktype = 'advisory' AND granted AND objsubid = 2 AND database = (SELECT oid FROM pg_database WHERE datname = current_database())
       AND classid = $1::bigint::oid AND objid = (hashtext($2)::bigint & 4294967295)::oid`,
    [LEASE_LOCK, name],
  );
  return rows[0]?.pid;
}
