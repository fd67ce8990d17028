/**
 * The baseline of bench/subgraph-read-path.ts: the inventory subgraph's products page written by
 * hand, as a careful engineer would serve it without GraphQL — `node:http`, one `pg.Pool`, two
 * queries per request (the page, then every stock level of the page's products with one
 * `product_id = ANY($1)`), and the JSON the subgraph answers
 * (`{ data: { products: { edges: [{ node }], pageInfo } } }`).
 *
 * It reads the same read-model tables as the subgraph (`products`, `stock_levels`; see
 * prisma/schema.prisma and subgraphs/inventory/read-models/) with the same semantics: newest first
 * with the id as tie-break, `search` matching a name case-insensitively anywhere or a SKU as a
 * prefix, `first` defaulting to 20 and capped at 500, cursors in the subgraph's format (base64url of
 * the JSON sort key, see subgraphs/shared/graphql/connection.ts), stock levels per product ordered
 * by store. The GraphQL `query` text of a request is ignored: only its variables are read, as the
 * endpoint answers one fixed shape. It checks no router signature (the subgraph verifies one, but
 * caches the verification of a token it has seen, and the benchmark sends one fixed token).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import pg from 'pg';
import { BodyTooLargeError, readBody } from '../../common/http/request-body.js';

/** The same limits as the subgraph (subgraphs/shared/graphql/connection.ts, read-models/queries.ts). */
const MAX_PAGE_SIZE = 500;
const DEFAULT_PAGE_SIZE = 20;
const MAX_SEARCH_LENGTH = 200;
/** A products request is a few hundred bytes; anything much larger is not one. */
const MAX_BODY_BYTES = 64 * 1024;

/** What the endpoint reads of a request: the variables of the products query. */
interface PageArguments {
  readonly first: number;
  readonly after: { readonly createdAt: string; readonly id: string } | undefined;
  readonly search: string | undefined;
}

interface ProductRow {
  readonly id: string;
  readonly sku: string;
  readonly name: string;
  readonly created_at: Date;
}

interface StockRow {
  readonly product_id: string;
  readonly store_id: string;
  readonly total: number;
  readonly reserved: number;
  readonly low_stock_threshold: number;
}

/** A stock level as the products page shows it. */
interface StockLevelJson {
  readonly id: string;
  readonly storeId: string;
  readonly total: number;
  readonly reserved: number;
  readonly available: number;
  readonly isLow: boolean;
}

class BadInput extends Error {}

// No index serves `ORDER BY created_at DESC, id DESC` (the subgraph has none either); the row
// comparison is the keyset condition the subgraph's Prisma filter spells as an OR.
const PAGE_SQL = `
  SELECT id, sku, name, created_at
  FROM products
  WHERE ($1::text IS NULL OR name ILIKE $1 OR sku LIKE $2)
    AND ($3::timestamptz IS NULL OR (created_at, id) < ($3::timestamptz, $4::text))
  ORDER BY created_at DESC, id DESC
  LIMIT $5`;

// The primary key (product_id, store_id) serves this lookup and its order.
const STOCK_SQL = `
  SELECT product_id, store_id, total, reserved, low_stock_threshold
  FROM stock_levels
  WHERE product_id = ANY($1::text[])
  ORDER BY product_id, store_id`;

/** `%`, `_` and `\` match literally in a LIKE pattern only when escaped (`\` is PostgreSQL's default escape). */
const escapeLike = (text: string) => text.replace(/[\\%_]/g, (char) => `\\${char}`);

const encodeCursor = (key: readonly unknown[]) => Buffer.from(JSON.stringify(key)).toString('base64url');

function decodeCursor(cursor: string): { createdAt: string; id: string } {
  let key: unknown;
  try {
    key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw new BadInput('after is not a valid cursor');
  }
  if (!Array.isArray(key) || typeof key[0] !== 'string' || typeof key[1] !== 'string' || Number.isNaN(Date.parse(key[0]))) {
    throw new BadInput('after is not a valid cursor');
  }
  return { createdAt: key[0], id: key[1] };
}

/** The variables of a `{ query, variables }` body, validated as the subgraph validates its arguments. */
function pageArguments(body: string): PageArguments {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    throw new BadInput('request body is not valid JSON');
  }
  const variables = typeof parsed === 'object' && parsed !== null ? (parsed as { variables?: unknown }).variables : undefined;
  const vars = (typeof variables === 'object' && variables !== null ? variables : {}) as Record<string, unknown>;
  const first = vars.first ?? DEFAULT_PAGE_SIZE;
  if (typeof first !== 'number' || !Number.isInteger(first) || first < 0 || first > MAX_PAGE_SIZE) {
    throw new BadInput(`first must be an integer from 0 to ${MAX_PAGE_SIZE}`);
  }
  const { after, search } = vars;
  if (after !== undefined && after !== null && typeof after !== 'string') throw new BadInput('after must be a string');
  if (search !== undefined && search !== null && typeof search !== 'string') throw new BadInput('search must be a string');
  if (search && search.length > MAX_SEARCH_LENGTH) throw new BadInput('search is too long');
  return { first, after: typeof after === 'string' ? decodeCursor(after) : undefined, search: search || undefined };
}

/** The products page for `args`, in the subgraph's answer shape. */
async function productsPage(pool: pg.Pool, args: PageArguments): Promise<unknown> {
  const search = args.search === undefined ? null : escapeLike(args.search);
  // One row past the page tells whether another page follows. Both statements are named, so each
  // connection keeps them prepared, as the subgraph keeps its own.
  const { rows } = await pool.query<ProductRow>({
    name: 'products-page',
    text: PAGE_SQL,
    values: [
      search === null ? null : `%${search}%`,
      search === null ? null : `${search}%`,
      args.after?.createdAt ?? null,
      args.after?.id ?? null,
      args.first + 1,
    ],
  });
  const page = rows.slice(0, args.first);
  const levels = new Map<string, StockLevelJson[]>(page.map((row) => [row.id, []]));
  if (page.length > 0) {
    const stock = await pool.query<StockRow>({ name: 'products-page-stock', text: STOCK_SQL, values: [page.map((row) => row.id)] });
    for (const row of stock.rows) {
      const available = row.total - row.reserved;
      levels.get(row.product_id)?.push({
        id: `${row.product_id}:${row.store_id}`,
        storeId: row.store_id,
        total: row.total,
        reserved: row.reserved,
        available,
        isLow: available <= row.low_stock_threshold,
      });
    }
  }
  const last = page.at(-1);
  return {
    data: {
      products: {
        edges: page.map((row) => {
          const stockLevels = levels.get(row.id) ?? [];
          return {
            node: { id: row.id, sku: row.sku, name: row.name, totalAvailable: stockLevels.reduce((sum, level) => sum + level.available, 0), stockLevels },
          };
        }),
        // The benchmark's query selects no edge cursors: only the last one is sent, as endCursor.
        pageInfo: { endCursor: last ? encodeCursor([last.created_at.toISOString(), last.id]) : null, hasNextPage: rows.length > args.first },
      },
    },
  };
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

const errorBody = (message: string, code: string) => ({ errors: [{ message, extensions: { code } }] });

async function handle(pool: pg.Pool, req: IncomingMessage, res: ServerResponse): Promise<void> {
  if (req.method !== 'POST' || (req.url ?? '/').split('?')[0] !== '/graphql') return sendJson(res, 404, errorBody('not found', 'NOT_FOUND'));
  try {
    sendJson(res, 200, await productsPage(pool, pageArguments(await readBody(req, MAX_BODY_BYTES))));
  } catch (error) {
    if (error instanceof BadInput) return sendJson(res, 400, errorBody(error.message, 'BAD_USER_INPUT'));
    if (error instanceof BodyTooLargeError) {
      // The rest of the body is still on the connection: do not read a next request behind it.
      res.shouldKeepAlive = false;
      return sendJson(res, 413, errorBody(error.message, 'BAD_REQUEST'));
    }
    throw error;
  }
}

/** A running hand-written products endpoint. */
export interface ProductsEndpoint {
  /** POST `{ query, variables: { first, after, search } }` here. */
  readonly url: string;
  close(): Promise<void>;
}

/**
 * Serves the products page from the PostgreSQL database at `databaseUrl` on a free port of
 * 127.0.0.1, with a pool of `maxConnections` (the subgraph's platform opens 20).
 */
export async function startProductsEndpoint(databaseUrl: string, maxConnections = 20): Promise<ProductsEndpoint> {
  const pool = new pg.Pool({ connectionString: databaseUrl, max: maxConnections });
  // An idle client that loses its connection must not crash the process; the pool replaces it.
  pool.on('error', () => undefined);
  const server: Server = createServer((req, res) => {
    handle(pool, req, res).catch((error: unknown) => {
      console.error('products endpoint: request failed', error);
      if (!res.headersSent) sendJson(res, 500, errorBody('Internal server error', 'INTERNAL_SERVER_ERROR'));
      else res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await pool.end();
    },
  };
}
