import { DomainError, ErrorCode } from '../errors/codes.js';

/** Longest accepted id, in UTF-16 code units (what `String.length` counts). */
export const MAX_ID_LENGTH = 100;

// Every Unicode control character: C0 (tab, line feed and carriage return included), DEL and C1.
// An id is one token that ends up in stream names, log lines and URLs; none of these belong there,
// and PostgreSQL cannot store U+0000 at all.
const CONTROL = /\p{Cc}/u;

/**
 * The id rule of every subgraph (entities, streams, cursors, references to other subgraphs'
 * entities). An id is a string of 1 to {@link MAX_ID_LENGTH} characters that
 *
 * - does not start or end with whitespace (it is taken as given, never trimmed),
 * - contains no control character (`\p{Cc}`, so no tab or line break either),
 * - contains no `:`, which joins the product and store ids of a stock stream
 *   (`stock-<productId>:<storeId>`) and of a StockLevel's id; ids are shared across subgraphs
 *   (tracking and history name inventory products and stores), so one rule holds for all.
 *
 * Anything else is accepted: letters of any script, digits, spaces inside, `-`, `_`, `.`, `/`, `@`…
 * (UUIDs, `seed-product-1`, `SKU_1a2b`).
 *
 * @param value The value as the command carries it.
 * @param field The input field it came from, reported as `extensions.field`.
 * @param extensions Further `extensions` of the error, e.g. a subgraph's `reason`.
 * @returns The id, unchanged.
 * @throws DomainError `BAD_USER_INPUT` with `extensions.field` when the value is not an id.
 */
export function validateId(value: unknown, field: string, extensions: Readonly<Record<string, unknown>> = {}): string {
  const refuse = (message: string) => new DomainError(ErrorCode.BAD_USER_INPUT, `${field} ${message}`, { ...extensions, field });
  if (typeof value !== 'string' || value.length === 0) throw refuse('is required');
  if (value.length > MAX_ID_LENGTH) throw refuse(`must be at most ${MAX_ID_LENGTH} characters`);
  if (value.trim() !== value) throw refuse('must not start or end with whitespace');
  if (CONTROL.test(value)) throw refuse('must not contain control characters');
  if (value.includes(':')) throw refuse("must not contain ':'");
  return value;
}

/** An optional id: absent or null becomes null, anything else must pass {@link validateId}. */
export function validateOptionalId(value: unknown, field: string, extensions: Readonly<Record<string, unknown>> = {}): string | null {
  return value === undefined || value === null ? null : validateId(value, field, extensions);
}
