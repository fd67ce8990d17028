import { randomBytes } from 'node:crypto';
import { InMemorySpanExporter, NodeTracerProvider, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collect, eventually, gql, wsClient } from '../support/graphql-clients.js';
import { startRouterStack, type RouterStack } from '../support/router-harness.js';
import { bearer } from '../support/security.js';

// Spans are kept in memory, as an OTLP exporter would receive them.
const exporter = new InMemorySpanExporter();
const provider = new NodeTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
provider.register();

let stack: RouterStack;

beforeAll(async () => {
  stack = await startRouterStack();
});
afterAll(async () => {
  await stack.close();
  await provider.shutdown();
});

const traceparentOf = (traceId: string) => `00-${traceId}-${randomBytes(8).toString('hex')}-01`;

describe('tracing', () => {
  it('follows one trace from the client through the router and the subgraph into the appended event and its deliveries', async () => {
    const traceId = randomBytes(16).toString('hex');
    const client = wsClient(stack.router.wsUrl);
    const opened = stack.liveOpened();
    const stream = collect(client, 'subscription { inventoryEvents(types: ["StoreRegistered"]) { type } }');
    await eventually(() => stack.router.engine.stats().upstreams > 0, 10_000, 'the subscription');
    await eventually(() => stack.liveOpened() > opened, 10_000, 'the subgraph to listen');
    const response = await gql(
      stack.router.url,
      'mutation { registerStore(input: { id: "traced-store", name: "Jaén" }) { store { id } } }',
      {},
      { ...(await bearer('tracer')), traceparent: traceparentOf(traceId) },
    );
    expect(response.errors).toBeUndefined();
    await eventually(
      () => exporter.getFinishedSpans().some((span) => span.name === 'graphql.request' && span.spanContext().traceId === traceId),
      5_000,
      'the router span',
    );
    const spans = exporter.getFinishedSpans().filter((span) => span.spanContext().traceId === traceId);
    const names = spans.map((span) => span.name);
    expect(names).toEqual(expect.arrayContaining(['graphql.request', 'gateway.execute', 'gateway.fetch', 'subgraph.request', 'event-store.append']));
    const byId = new Map(spans.map((span) => [span.spanContext().spanId, span]));
    const ancestry = (name: string) => {
      const chain: string[] = [];
      let span = spans.find((candidate) => candidate.name === name);
      while (span) {
        chain.push(span.name);
        span = span.parentSpanContext ? byId.get(span.parentSpanContext.spanId) : undefined;
      }
      return chain;
    };
    // The append nests in the subgraph's request, which nests in the router's fetch of it.
    expect(ancestry('event-store.append')).toEqual(expect.arrayContaining(['event-store.append', 'subgraph.request', 'gateway.fetch', 'graphql.request']));
    const router = spans.find((span) => span.name === 'graphql.request')!;
    expect(router.attributes).toMatchObject({ 'graphql.operation.type': 'mutation' });
    const [event] = await stack.platform.store.readStream('store-traced-store');
    const appended = spans.find((span) => span.name === 'subgraph.request')!;
    expect(event?.metadata.traceparent).toBe(`00-${traceId}-${appended.spanContext().spanId}-01`);

    // The publisher's span and the delivery's are traces of their own, linked to the one that appended.
    await stream.waitFor(1);
    await client.dispose();
    const linkedTo = (name: string) =>
      exporter.getFinishedSpans().some((span) => span.name === name && span.links.some((link) => link.context.traceId === traceId));
    await eventually(() => linkedTo('publisher.publish') && linkedTo('subscription.deliver'), 5_000, 'the publish and delivery spans');
    const delivery = exporter
      .getFinishedSpans()
      .find((span) => span.name === 'subscription.deliver' && span.links.some((link) => link.context.traceId === traceId))!;
    expect(delivery.attributes).toMatchObject({
      'tributary.stream': 'store-traced-store',
      'tributary.event.type': 'StoreRegistered',
      'tributary.position': event?.position,
    });
  });

  it('continues a trace over WebSocket too', async () => {
    const traceId = randomBytes(16).toString('hex');
    const { wsClient } = await import('../support/graphql-clients.js');
    const client = wsClient(stack.router.wsUrl, { connectionParams: { traceparent: traceparentOf(traceId) } });
    await new Promise((resolve, reject) =>
      client.subscribe({ query: '{ stores(first: 1) { edges { node { id } } } }' }, { next: resolve, error: reject, complete: () => undefined }),
    );
    await client.dispose();
    await eventually(
      () => exporter.getFinishedSpans().some((span) => span.name === 'subgraph.request' && span.spanContext().traceId === traceId),
      5_000,
      'the subgraph span',
    );
  });
});
