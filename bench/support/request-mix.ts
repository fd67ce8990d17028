/**
 * The requests of the gateway benchmarks: the same query shapes with varying variables, taken
 * round-robin from a set far larger than the number of connections, so two identical requests
 * are (almost) never in flight at once and no gateway can share one answer among callers; and,
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
export const PRODUCTS_QUERY = `query Products($first: Int!, $search: String) {
  products(first: $first, search: $search) {
    edges { node { name totalAvailable campaigns { name stats { impressions } } generatedDescriptions { id } } }
  }
}`;

/** The request bodies of the distinct mix: every campaign, and product pages of every size and search prefix. */
export function distinctBodies(world: WorldSize): string[] {
  const bodies: string[] = [];
  for (let campaign = 0; campaign < world.campaigns; campaign += 1)
    bodies.push(JSON.stringify({ query: CAMPAIGN_QUERY, variables: { id: campaignId(campaign) } }));
  for (let first = 1; first <= 20; first += 1) {
    for (const search of [null, 'Product 1', 'Product 2', 'Product 3']) bodies.push(JSON.stringify({ query: PRODUCTS_QUERY, variables: { first, search } }));
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
