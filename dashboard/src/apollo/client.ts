/**
 * The dashboard's Apollo Client: queries and mutations over HTTP, subscriptions over graphql-ws,
 * both carrying the bearer token when the page has one. The cache is a plain InMemoryCache:
 * every object the API returns has an id, so default normalization keeps one copy of each.
 */
import { ApolloClient, ApolloLink, HttpLink, InMemoryCache } from '@apollo/client';
import { GraphQLWsLink } from '@apollo/client/link/subscriptions';
import { getMainDefinition } from '@apollo/client/utilities';
import { Kind, OperationTypeNode } from 'graphql';
import { createClient, type Client } from 'graphql-ws';
import type { DashboardConfig } from '../config.js';

/** The client and the WebSocket client under it (the connection state watches the latter). */
export interface DashboardApollo {
  readonly client: ApolloClient;
  readonly socket: Client;
}

export function createDashboardApollo(config: DashboardConfig): DashboardApollo {
  const authorization = config.token === undefined ? undefined : `Bearer ${config.token}`;
  const http = new HttpLink({ uri: config.endpoint, headers: authorization ? { authorization } : {} });
  const url = new URL(config.endpoint, window.location.href);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  const socket = createClient({
    url: url.href,
    lazy: true,
    // A dropped socket ends the subscriptions with an error; each one resubscribes with the
    // last position it received (see useLiveSubscription), so graphql-ws must not replay the
    // original payloads by itself.
    retryAttempts: 0,
    connectionParams: authorization ? { authorization } : {},
  });
  const link = ApolloLink.split(
    ({ query }) => {
      const definition = getMainDefinition(query);
      return definition.kind === Kind.OPERATION_DEFINITION && definition.operation === OperationTypeNode.SUBSCRIPTION;
    },
    new GraphQLWsLink(socket),
    http,
  );
  return { client: new ApolloClient({ link, cache: new InMemoryCache() }), socket };
}
