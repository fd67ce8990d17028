import { badInput, DomainError, ErrorCode } from '../errors/codes.js';

/** One edge of a {@link Connection}: a node and the cursor that resumes after it. */
export interface ConnectionEdge<Node> {
  readonly cursor: string;
  readonly node: Node;
}

/**
 * A Relay connection as resolvers return it. The generated resolver types map every
 * `<Type>Connection` of the SDLs to this type (and `<Type>Edge` to {@link ConnectionEdge}) over
 * the node's read-model type.
 */
export interface Connection<Node> {
  readonly edges: ReadonlyArray<ConnectionEdge<Node>>;
  readonly pageInfo: { readonly hasNextPage: boolean; readonly endCursor: string | null };
}

/** Largest page a client may ask for. */
export const MAX_PAGE_SIZE = 500;

/** Validates `first`, defaulting when absent; out of range it is BAD_USER_INPUT naming the maximum (`extensions.max`). */
export function pageSize(first: number | null | undefined, fallback = 20): number {
  const size = first ?? fallback;
  if (!Number.isInteger(size) || size < 0 || size > MAX_PAGE_SIZE) {
    throw new DomainError(ErrorCode.BAD_USER_INPUT, `first must be an integer from 0 to ${MAX_PAGE_SIZE}`, { field: 'first', max: MAX_PAGE_SIZE });
  }
  return size;
}

/** Opaque cursor: base64url of a JSON array of sort-key values. */
export function encodeCursor(key: readonly unknown[]): string {
  return Buffer.from(JSON.stringify(key)).toString('base64url');
}

/** The sort key of a cursor (undefined without one); a cursor that is not ours is BAD_USER_INPUT on `after`. */
export function decodeCursor(cursor: string | null | undefined): unknown[] | undefined {
  if (cursor == null) return undefined;
  try {
    const key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
    if (Array.isArray(key)) return key as unknown[];
  } catch {
    // fall through to the error below
  }
  throw badInput('after is not a valid cursor', 'after');
}

/** An edge whose cursor is encoded when it is read: most pages select only the last one (`endCursor`). */
class LazyEdge<Node> implements ConnectionEdge<Node> {
  private encoded: string | undefined;

  constructor(
    readonly node: Node,
    private readonly keyOf: (node: Node) => readonly unknown[],
  ) {}

  get cursor(): string {
    return (this.encoded ??= encodeCursor(this.keyOf(this.node)));
  }
}

/**
 * Builds a connection from `size + 1` fetched rows: the extra row only tells that another page exists.
 */
export function toConnection<Node>(rows: readonly Node[], size: number, keyOf: (node: Node) => readonly unknown[]): Connection<Node> {
  const edges = rows.slice(0, size).map((node) => new LazyEdge(node, keyOf));
  const last = edges.at(-1);
  return {
    edges,
    pageInfo: {
      hasNextPage: rows.length > size,
      get endCursor() {
        return last ? last.cursor : null;
      },
    },
  };
}
