import { createHash } from 'node:crypto';
import { canonicalJson } from '../../../common/json/canonical-json.js';
import type { SqlClient } from '../database/sql.js';
import { DomainError, ErrorCode, badInput } from '../errors/codes.js';

export function commandHash(command: unknown): string {
  return createHash('sha256').update(canonicalJson(command)).digest('hex');
}

/** What a first run stored under an idempotency key. */
export type IdempotentOutcome<R> = { readonly replayed: false; readonly result: R } | { readonly replayed: true; readonly result: R };

/**
 * Runs `work` at most once per key inside transaction `tx`. A second call with the same key and the
 * same command gets the stored result and runs nothing; with another command it fails with
 * IDEMPOTENCY_KEY_REUSED. Concurrent calls with one key wait on the key's row, so one runs.
 */
export async function runIdempotent<R>(tx: SqlClient, key: string, command: unknown, work: () => Promise<R>): Promise<IdempotentOutcome<R>> {
  if (key.length === 0 || key.length > 200) throw badInput('idempotencyKey must be 1 to 200 characters', 'idempotencyKey');
  const hash = commandHash(command);
  const claimed = await tx.query(
    `INSERT INTO idempotency_keys (key, command_hash, result) VALUES ($1, $2, 'null'::jsonb)
     ON CONFLICT (key) DO NOTHING RETURNING key`,
    [key, hash],
  );
  if (claimed.length === 0) {
    const rows = await tx.query<{ command_hash: string; result: R }>('SELECT command_hash, result FROM idempotency_keys WHERE key = $1', [key]);
    const stored = rows[0];
    if (!stored) throw new Error(`idempotency key ${key} vanished`);
    if (stored.command_hash !== hash) {
      throw new DomainError(ErrorCode.IDEMPOTENCY_KEY_REUSED, `idempotency key "${key}" was already used for a different command`, { idempotencyKey: key });
    }
    return { replayed: true, result: stored.result };
  }
  const result = await work();
  await tx.query('UPDATE idempotency_keys SET result = $2::jsonb WHERE key = $1', [key, JSON.stringify(result)]);
  return { replayed: false, result };
}
