/**
 * Heap cost of the pieces the router keeps per client subscription, measured one at a time by
 * retaining N of each (after GC): the parsed client document (graphql-ws keeps it in its
 * ExecutionArgs for the subscription's life), the same parsed with `noLocation`, a
 * SubscriptionPlan (planSubscription), and the per-operation RouterContext (pino child logger).
 * Explains router-subscription-memory.ts and sizes the proposed fixes. No servers are started.
 *
 *   node --expose-gc --import tsx bench/support/subscription-memory-parts.ts [N]
 */
import { parse } from 'graphql';
import { pino } from 'pino';
import { HookRunner } from '../../router/plugins/hook-runner.js';
import { planSubscription } from '../../router/subscriptions/plan-subscription.js';
import { loadSupergraph } from '../../router/supergraph/load-supergraph.js';
import { forecastTypeDefs } from '../../test/support/forecast-subgraph.js';
import { composeForTest } from '../../test/support/router-harness.js';
import { readFileSync } from 'node:fs';

const N = Number(process.argv[2] ?? 5000);
const hooks = new HookRunner([]);
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with node --expose-gc');

const QUERY = `subscription Stock($productId: ID!, $storeId: ID!) { stockLevelChanged(productId: $productId, storeId: $storeId) { position available forecast } }`;
const supergraph = loadSupergraph(
  composeForTest([
    {
      name: 'inventory',
      url: 'http://127.0.0.1:1/graphql',
      typeDefs: parse(readFileSync(new URL('../../subgraphs/inventory/schema.graphql', import.meta.url), 'utf8')),
    },
    { name: 'forecast', url: 'http://127.0.0.1:2/graphql', typeDefs: forecastTypeDefs },
  ]),
);
const logger = pino({ level: 'silent' });

async function heap(): Promise<number> {
  for (let pass = 0; pass < 4; pass += 1) {
    gc!();
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return process.memoryUsage().heapUsed;
}

async function perItem(name: string, make: (index: number) => unknown): Promise<{ name: string; bytes: number }> {
  // Warm up code paths and caches first, so only the retained items count.
  for (let index = 0; index < 50; index += 1) make(index);
  const before = await heap();
  const kept: unknown[] = [];
  for (let index = 0; index < N; index += 1) kept.push(make(index));
  const after = await heap();
  if (kept.length !== N) throw new Error('unreachable');
  return { name, bytes: Math.round((after - before) / N) };
}

const document = parse(QUERY);
const rows = [
  await perItem('client document, parse() with locations', () => parse(QUERY)),
  await perItem('client document, parse(…, { noLocation: true }) (as DocumentCache, once per text)', () => parse(QUERY, { noLocation: true })),
  await perItem('SubscriptionPlan (planSubscription; the router keeps one per operation text)', () => planSubscription(supergraph, document, 'Stock')),
  await perItem('RouterContext (HookRunner.openContext: uuid + pino child)', () =>
    hooks.openContext({ header: () => undefined, remoteAddress: undefined }, logger),
  ),
];
console.log(`heap bytes retained per item (N = ${N})`);
for (const row of rows) console.log(`${String(row.bytes).padStart(8)}  ${row.name}`);
