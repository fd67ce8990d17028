import { parse, type ExecutionResult } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ReplicaSet } from '../../router/resilience/replica-set.js';
import { DEFAULT_SUBGRAPH_POLICY } from '../../router/resilience/subgraph-policy.js';
import { planSubscription } from '../../router/subscriptions/plan-subscription.js';
import { SharedSubscription } from '../../router/subscriptions/shared-subscription.js';
import { UpstreamClients } from '../../router/subscriptions/upstream-clients.js';
import { loadSupergraph } from '../../router/supergraph/load-supergraph.js';
import { eventually } from '../support/graphql-clients.js';
import { silentLogger, startRouterStack, type RouterStack } from '../support/router-harness.js';
import { signedByRouter } from '../support/security.js';
import { addStock, newStock } from '../support/stock-through-router.js';

let stack: RouterStack;
let upstreams: UpstreamClients;

beforeAll(async () => {
  stack = await startRouterStack();
  upstreams = new UpstreamClients({ connectionHeaders: () => signedByRouter() });
});
afterAll(async () => {
  await upstreams.close();
  await stack.close();
});

describe('a shared subscription', () => {
  it('delivers an error for an event whose enrichment throws, and goes on with the next events', async () => {
    const key = await newStock(stack.router.url);
    const opened = stack.liveOpened();
    const loaded = loadSupergraph(stack.supergraphSdl);
    const document = parse(`subscription($p: ID!, $s: ID!) { stockLevelChanged(productId: $p, storeId: $s) { total } }`);
    const plan = planSubscription(loaded, document, undefined);
    let events = 0;
    const subscription = new SharedSubscription({
      key: 'enrichment-failure',
      plan,
      client: upstreams.client('inventory', new ReplicaSet('inventory', [stack.inventory.url], DEFAULT_SUBGRAPH_POLICY, () => false)),
      variables: { p: key.productId, s: key.storeId },
      initialResume: null,
      prepareExtensions: async () => ({ headers: await signedByRouter() }),
      enrich: async (_plan, event) => {
        events += 1;
        if (events === 2) throw new Error('an enrichment step broke');
        return { data: event.data };
      },
      onStart: () => undefined,
      onEnrich: () => undefined,
      onEnd: () => undefined,
      logger: silentLogger,
    });
    const client = subscription.join();
    const received: ExecutionResult[] = [];
    const reading = (async () => {
      for await (const result of client) {
        received.push(result);
        if (received.length === 3) break;
      }
    })();
    await eventually(() => stack.liveOpened() > opened, 10_000, 'the upstream subscription');
    for (const quantity of [1, 2, 3]) await addStock(stack.router.url, key, quantity);
    await reading;
    expect(received[0]?.data).toMatchObject({ stockLevelChanged: { total: 1 } });
    expect(received[1]?.errors?.map((error) => error.extensions?.code)).toEqual(['INTERNAL_SERVER_ERROR']);
    expect(received[2]?.data).toMatchObject({ stockLevelChanged: { total: 6 } });
  });
});
