/**
 * Apollo Client 4's normalized cache against the real product (router, subgraphs, graphql-ws):
 * with the identities the API gives every object, a subscription item updates the cached objects
 * a list shows, and an old version of an entry never overwrites the current one.
 */
import { ApolloClient, ApolloLink, HttpLink, InMemoryCache, type ObservableQuery } from '@apollo/client';
import { GraphQLWsLink } from '@apollo/client/link/subscriptions';
import { getMainDefinition } from '@apollo/client/utilities';
import { createClient, type Client } from 'graphql-ws';
import { Kind, OperationTypeNode } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startDashboardStack, type DashboardStack } from '../support/dashboard-stack.js';
import { pollUntil, uid } from '../support/waiting.js';
import { operationNamed } from './operations.js';

let stack: DashboardStack;
let socket: Client;
let client: ApolloClient;
/** Operations the Apollo client sent over HTTP, by name. */
const httpOperations: string[] = [];

beforeAll(async () => {
  stack = await startDashboardStack();
  socket = createClient({ url: stack.router.wsUrl, webSocketImpl: WebSocket, lazy: true, connectionParams: { authorization: `Bearer ${stack.token()}` } });
  const http = new HttpLink({
    uri: stack.router.url,
    headers: { authorization: `Bearer ${stack.token()}` },
    fetch: (input, init) => {
      httpOperations.push(String((JSON.parse(typeof init?.body === 'string' ? init.body : '{}') as { operationName?: string }).operationName));
      return fetch(input, init);
    },
  });
  const link = ApolloLink.split(
    ({ query }) => {
      const definition = getMainDefinition(query);
      return definition.kind === Kind.OPERATION_DEFINITION && definition.operation === OperationTypeNode.SUBSCRIPTION;
    },
    new GraphQLWsLink(socket),
    http,
  );
  // Default normalization only: `__typename:id`. No type policies, no key fields.
  client = new ApolloClient({ link, cache: new InMemoryCache() });
});

afterAll(async () => {
  client?.stop();
  await socket?.dispose();
  await stack?.close();
});

/** Waits until a watched query's latest result satisfies `holds`. */
async function watchUntil<Data>(query: ObservableQuery<Data>, holds: (data: Data) => boolean, message: string): Promise<void> {
  let latest: Data | undefined;
  const subscription = query.subscribe((result) => {
    if (result.data) latest = result.data as Data;
  });
  try {
    await pollUntil(() => latest !== undefined && holds(latest), message, 15_000);
  } finally {
    subscription.unsubscribe();
  }
}

describe('a normalized cache fed by subscriptions', () => {
  it('shows the stock a mutation and its subscription event changed in a cached product list, without a refetch', async () => {
    const productId = uid('p');
    const storeId = uid('s');
    await stack.request(
      `mutation($p: RegisterProductInput!, $s: RegisterStoreInput!) {
      registerProduct(input: $p) { replayed } registerStore(input: $s) { replayed } }`,
      {
        p: { id: productId, sku: productId, name: 'Cache test product' },
        s: { id: storeId, name: 'Cache test store' },
      },
    );
    await stack.request(`mutation($input: AddStockInput!) { addStock(input: $input) { replayed } }`, { input: { productId, storeId, quantity: 58 } });
    const before = new Date().toISOString();

    const inventory = client.watchQuery({ query: operationNamed('DashboardInventory') });
    const first = await inventory.refetch();
    const levelOf = (data: typeof first.data) => data?.products.edges.find((edge: { node: { id: string } }) => edge.node.id === productId)?.node.stockLevels[0];
    expect(levelOf(first.data)).toMatchObject({ id: `${productId}:${storeId}`, total: 58, available: 58 });

    const events: unknown[] = [];
    const live = client
      .subscribe({ query: operationNamed('DashboardStockLevel'), variables: { productId, storeId, after: levelOf(first.data).position } })
      .subscribe((result) => events.push(result.data));
    // It starts after the position the list was read at: whenever it is established, it gets the change.
    const sentBefore = httpOperations.length;

    // The change is made by someone else: this client learns of it only through its subscription.
    await stack.request(`mutation($input: AddStockInput!) { addStock(input: $input) { replayed } }`, { input: { productId, storeId, quantity: 1 } });
    await watchUntil(inventory, (data) => levelOf(data)?.total === 59, 'the cached list to show 59');
    const shown = client.readQuery({ query: operationNamed('DashboardInventory') }) ?? undefined;
    expect(levelOf(shown)).toMatchObject({ total: 59, available: 59 });
    expect(shown?.products.edges.find((edge: { node: { id: string } }) => edge.node.id === productId).node.totalAvailable).toBe(59);
    expect(events.length).toBeGreaterThanOrEqual(1);
    expect(httpOperations.slice(sentBefore)).toEqual([]);
    live.unsubscribe();

    // The level as it was before the change has an identity of its own: it cannot replace the present one.
    const travelled = await stack.request<{ stockLevelAt: { id: string; total: number }; stockLevel: { id: string; total: number } }>(
      `query($productId: ID!, $storeId: ID!, $at: DateTime!) {
        stockLevelAt(productId: $productId, storeId: $storeId, at: $at) { id total }
        stockLevel(productId: $productId, storeId: $storeId) { id total }
      }`,
      { productId, storeId, at: before },
    );
    expect(travelled).toEqual({ stockLevelAt: { id: `${productId}:${storeId}@1`, total: 58 }, stockLevel: { id: `${productId}:${storeId}`, total: 59 } });
  });

  it("shows a campaign's live stats in the cached campaign list, without a refetch", async () => {
    const campaignId = uid('c');
    const influencerId = uid('i');
    await stack.request(
      `mutation($c: CreateCampaignInput!, $i: RegisterInfluencerInput!) {
      createCampaign(input: $c) { replayed } registerInfluencer(input: $i) { replayed } }`,
      {
        c: { id: campaignId, name: 'Cache test campaign', startsAt: new Date(Date.now() - 3_600_000).toISOString() },
        i: { id: influencerId, handle: influencerId, platform: 'INSTAGRAM' },
      },
    );
    const campaigns = client.watchQuery({ query: operationNamed('DashboardCampaigns') });
    const first = await campaigns.refetch();
    const statsOf = (data: typeof first.data) => data?.campaigns.edges.find((edge: { node: { id: string } }) => edge.node.id === campaignId)?.node.stats;
    expect(statsOf(first.data)).toMatchObject({ id: `campaign:${campaignId}`, impressions: 0 });

    const from = new Date(Date.now() - 86_400_000).toISOString();
    const live = client
      .subscribe({ query: operationNamed('DashboardCampaignStats'), variables: { campaignId, from, after: statsOf(first.data).position } })
      .subscribe(() => undefined);
    const sentBefore = httpOperations.length;
    await stack.request(`mutation($input: RegisterImpressionInput!) { registerImpression(input: $input) { replayed } }`, {
      input: { campaignId, id: uid('imp'), influencerId },
    });
    await watchUntil(campaigns, (data) => statsOf(data)?.impressions === 1, 'the cached campaign list to show 1 impression');
    expect(httpOperations.slice(sentBefore)).toEqual([]);
    live.unsubscribe();
  });
});

describe('time travel in a normalized cache', () => {
  it('keeps version 1 of an entry and the current entry side by side', async () => {
    const id = uid('e');
    await stack.request(`mutation($input: CreateEntryInput!) { createEntry(input: $input) { replayed } }`, {
      input: { id, model: 'gpt-4o', content: 'The first version of this creative.' },
    });
    await stack.request(`mutation($input: UpdateEntryInput!) { updateEntry(input: $input) { replayed } }`, {
      input: { id, content: 'The second version, rewritten.' },
    });
    const current = operationNamed('EntryCurrent');
    const atVersion = operationNamed('EntryAtVersion');
    const now = await client.query({ query: current, variables: { id } });
    const old = await client.query({ query: atVersion, variables: { id, version: 1 } });
    expect(now.data?.entry).toMatchObject({ id, version: 2, content: 'The second version, rewritten.' });
    expect(old.data?.entryVersion).toMatchObject({ id: `${id}@1`, entryId: id, version: 1, content: 'The first version of this creative.' });

    // Read back from the cache alone, in either order: neither overwrote the other.
    expect(client.readQuery({ query: current, variables: { id } })?.entry).toMatchObject({ version: 2, content: 'The second version, rewritten.' });
    expect(client.readQuery({ query: atVersion, variables: { id, version: 1 } })?.entryVersion).toMatchObject({
      version: 1,
      content: 'The first version of this creative.',
      entry: { id, latestVersion: 2 },
    });
    const cached = client.cache.extract() as Record<string, { content?: string } | undefined>;
    expect(cached[`HistoryEntry:${id}`]?.content).toBe('The second version, rewritten.');
    expect(cached[`HistoryEntryVersion:${id}@1`]?.content).toBe('The first version of this creative.');
  });
});
