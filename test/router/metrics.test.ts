import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collect, eventually, gql, wsClient } from '../support/graphql-clients.js';
import { startFullStack, type FullStack } from '../support/full-stack.js';
import { bearer } from '../support/security.js';

let stack: FullStack;

beforeAll(async () => {
  stack = await startFullStack();
});
afterAll(async () => {
  await stack.close();
});

const metricNames = (text: string) =>
  new Set(
    text
      .split('\n')
      .filter((line) => line && !line.startsWith('#'))
      .map((line) => line.split(/[{ ]/)[0]!),
  );

describe('metrics', () => {
  it('are exported by the router and by the subgraphs, with the names dashboards use', async () => {
    const client = wsClient(stack.router.wsUrl);
    const opened = stack.liveOpened();
    const stream = collect(client, 'subscription { inventoryEvents { type } }');
    await eventually(() => stack.router.engine.stats().upstreams > 0, 10_000, 'the subscription');
    await eventually(() => stack.liveOpened() > opened, 10_000, 'the subgraph to listen');
    const created = await gql(
      stack.router.url,
      'mutation { registerStore(input: { id: "metrics-store", name: "Soria" }) { store { id } } }',
      {},
      await bearer(),
    );
    expect(created.errors).toBeUndefined();
    await stream.waitFor(1);
    await gql(stack.router.url, '{ stores(first: 5) { edges { node { id } } } }');
    await gql(stack.router.url, '{ nope }');

    const router = metricNames(await (await fetch(stack.router.url.replace('/graphql', '/metrics'))).text());
    for (const name of [
      'tributary_router_operations_total',
      'tributary_router_operation_duration_seconds_bucket',
      'tributary_router_subgraph_fetch_duration_seconds_bucket',
      'tributary_router_subgraph_circuit_state',
      'tributary_router_subscription_clients',
      'tributary_router_subscription_upstreams',
      'tributary_router_subscriptions',
      'tributary_router_subscription_events_delivered_total',
      'tributary_router_subscription_slow_consumers_total',
      'tributary_router_websocket_connections',
      'tributary_router_process_cpu_seconds_total',
    ]) {
      expect(router.has(name), name).toBe(true);
    }
    const text = await (await fetch(stack.router.url.replace('/graphql', '/metrics'))).text();
    expect(text).toMatch(/^tributary_router_operations_total\{type="mutation",operation="",outcome="ok"\} [1-9]/m);
    expect(text).toMatch(/^tributary_router_operations_total\{type="unknown",operation="",outcome="refused"\} [1-9]/m);

    const inventory = stack.subgraphs.find((subgraph) => subgraph.name === 'inventory')!;
    const subgraph = metricNames(await (await fetch(inventory.url.replace('/graphql', '/metrics'))).text());
    for (const name of [
      'tributary_subgraph_command_duration_seconds_bucket',
      'tributary_subgraph_commands_total',
      'tributary_event_store_append_batch_events_bucket',
      'tributary_publisher_lag_events',
      'tributary_publisher_lag_seconds',
      'tributary_publisher_published_events_total',
      'tributary_bus_reconnects_total',
      'tributary_live_subscriptions',
      'tributary_live_slow_consumers_total',
    ]) {
      expect(subgraph.has(name), name).toBe(true);
    }
    stream.dispose();
    await client.dispose();
  });
});
