/**
 * The requests of the gateway benchmarks: the same query shapes with varying variables, taken
 * round-robin from a set far larger than the number of connections, so two identical requests
 * are (almost) never in flight at once, and chosen so that no two of them make the same subgraph
 * call: no gateway can share one answer, or one subgraph call, among callers; and,
 * as a second row, one constant request (where sharing identical in-flight calls acts as a cache).
 */
import autocannon from 'autocannon';
import { campaignId, type WorldSize } from './federation-stack.js';

/** Queries spanning the three subgraphs: tracking → inventory → history, inventory → tracking → history. */
export const CAMPAIGN_QUERY = `query Campaign($id: ID!) {
  campaign(id: $id) {
    name status
    stats { impressions conversions conversionRate revenue { amount currency } }
    product { name totalAvailable stockLevels { available store { name } } }
    bestCreative { content latestAssessment { score } }
  }
}`;
export const PRODUCTS_QUERY = `query Products($first: Int!, $after: String) {
  products(first: $first, after: $after) {
    edges { node { name totalAvailable campaigns { name stats { impressions } } generatedDescriptions { id } } }
  }
}`;

/** Where the product pages of the distinct mix start: after none, and after the 25th, 50th and 75th product. */
const PAGE_STARTS = [0, 25, 50, 75];

/**
 * The cursors of the first `count` products in the catalogue's order, read from the inventory
 * subgraph (`headers` carry what it requires of a caller).
 */
export async function productCursors(inventoryUrl: string, count: number, headers: Record<string, string>): Promise<string[]> {
  const response = await fetch(inventoryUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query: 'query($first: Int!) { products(first: $first) { edges { cursor } } }', variables: { first: count } }),
  });
  const body = (await response.json()) as { data?: { products: { edges: Array<{ cursor: string }> } }; errors?: unknown };
  if (!body.data) throw new Error(`could not read product cursors: ${JSON.stringify(body.errors)}`);
  return body.data.products.edges.map((edge) => edge.cursor);
}

/**
 * The request bodies of the distinct mix: every campaign, and product pages of 1 to 20 products
 * starting at four places in the catalogue (`cursors`, from productCursors, must reach past the
 * 75th product). No two pages hold the same products, so no two requests of the mix make the
 * same subgraph call either (a page size past the matches of a search would).
 */
export function distinctBodies(world: WorldSize, cursors: readonly string[]): string[] {
  const bodies: string[] = [];
  for (let campaign = 0; campaign < world.campaigns; campaign += 1)
    bodies.push(JSON.stringify({ query: CAMPAIGN_QUERY, variables: { id: campaignId(campaign) } }));
  for (let first = 1; first <= 20; first += 1) {
    for (const start of PAGE_STARTS) {
      const after = start === 0 ? null : cursors[start - 1];
      if (after === undefined) throw new Error(`no cursor for product ${start}: the world holds ${world.products} products`);
      bodies.push(JSON.stringify({ query: PRODUCTS_QUERY, variables: { first, after } }));
    }
  }
  // Interleave the shapes, so every stretch of requests mixes both.
  return bodies
    .map((body, index) => ({ body, key: (index * 7919) % bodies.length }))
    .sort((a, b) => a.key - b.key)
    .map((entry) => entry.body);
}

/** The one constant request of the identical mode. */
export function identicalBody(): string {
  return JSON.stringify({ query: CAMPAIGN_QUERY, variables: { id: campaignId(0) } });
}

export interface LoadOptions {
  readonly url: string;
  readonly bodies: readonly string[];
  readonly connections: number;
  readonly seconds: number;
  readonly headers?: Record<string, string>;
}

/** Runs autocannon over `bodies` round-robin, one body per request. */
export function runLoad(options: LoadOptions): Promise<autocannon.Result> {
  let next = 0;
  return autocannon({
    url: options.url,
    method: 'POST',
    headers: { 'content-type': 'application/json', ...options.headers },
    connections: options.connections,
    duration: options.seconds,
    requests: [
      {
        setupRequest: (request) => {
          const body = options.bodies[next % options.bodies.length]!;
          next += 1;
          return { ...request, body };
        },
      },
    ],
  });
}
