import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginInlineTraceDisabled, ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { buildSubgraphSchema } from '@apollo/subgraph';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper/index.js';
import type { GraphQLSchema } from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import type { Logger } from 'pino';
import { WebSocketServer } from 'ws';
import { apolloRequestHandler } from './apollo-http.js';
import { formatError, isUnexpected, withRequestErrorCode } from './format-error.js';
import { createRequestContext, type RequestContext } from './request-context.js';
import type { SubgraphDefinition } from './subgraph-definition.js';

export interface SubgraphServerOptions {
  readonly port: number;
  readonly host?: string;
  readonly logger: Logger;
}

/** A running subgraph: HTTP and graphql-ws on the same `/graphql` path. */
export interface RunningSubgraph {
  readonly name: string;
  readonly url: string;
  readonly schema: GraphQLSchema;
  close(): Promise<void>;
}

function headerReader(req: IncomingMessage): (name: string) => string | undefined {
  return (name) => {
    const value = req.headers[name];
    return Array.isArray(value) ? value[0] : value;
  };
}

/** Serves a subgraph definition until `close()`. */
export async function startSubgraphServer<Context extends RequestContext>(
  definition: SubgraphDefinition<Context>,
  options: SubgraphServerOptions,
): Promise<RunningSubgraph> {
  const logger = options.logger.child({ subgraph: definition.name });
  const schema = buildSubgraphSchema({
    typeDefs: definition.typeDefs,
    // Each subgraph types its resolvers with its own context; @apollo/subgraph only knows `unknown`.
    resolvers: definition.resolvers as GraphQLResolverMap<unknown>,
  });
  const logUnexpected = (error: unknown) => {
    if (isUnexpected(error)) logger.error({ err: error }, 'unexpected error while resolving');
  };
  const apollo = new ApolloServer<Context>({
    schema,
    formatError: (formatted, error) => {
      logUnexpected(error);
      return formatError(formatted, error);
    },
    introspection: true,
    includeStacktraceInErrorResponses: false,
    // The router owns tracing and the playground; a subgraph answers GraphQL only.
    plugins: [ApolloServerPluginInlineTraceDisabled(), ApolloServerPluginLandingPageDisabled()],
  });
  await apollo.start();
  const handle = apolloRequestHandler(apollo, async (req) => definition.createContext(createRequestContext(logger, headerReader(req))));

  const http: Server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (path === '/health') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ status: 'ok', subgraph: definition.name }));
      return;
    }
    if (path !== '/graphql') {
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('not found');
      return;
    }
    handle(req, res).catch((error: unknown) => {
      logger.error({ err: error }, 'request failed');
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ errors: [{ message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR' } }] }));
    });
  });

  const wss = new WebSocketServer({ server: http, path: '/graphql' });
  const ws = useServer<Record<string, unknown> | undefined, { request: IncomingMessage }>(
    {
      schema,
      context: (ctx, _id, payload) => {
        // The router multiplexes many clients on one socket, so it sends the correlation id and
        // actor per subscription (extensions); direct clients may use connection params or headers.
        const extensions = payload.extensions ?? {};
        const params = ctx.connectionParams ?? {};
        const fromHeaders = headerReader(ctx.extra.request);
        return definition.createContext(
          createRequestContext(logger, (name) => {
            const value = extensions[name] ?? params[name];
            return typeof value === 'string' ? value : fromHeaders(name);
          }),
        );
      },
      onError: (_ctx, _id, _payload, errors) =>
        errors.map((error) => {
          const coded = withRequestErrorCode(error);
          logUnexpected(coded);
          return formatError(coded.toJSON(), coded);
        }),
      onNext: (_ctx, _id, _payload, _args, result) => {
        if (!result.errors) return;
        return {
          ...result,
          errors: result.errors.map((error) => {
            logUnexpected(error);
            return formatError(error.toJSON(), error);
          }),
        };
      },
    },
    wss,
  );

  await new Promise<void>((resolve) => http.listen(options.port, options.host ?? '127.0.0.1', resolve));
  await definition.start?.();
  const address = http.address() as AddressInfo;
  const url = `http://${options.host ?? '127.0.0.1'}:${address.port}/graphql`;
  logger.info({ url }, `subgraph ${definition.name} listening`);

  return {
    name: definition.name,
    url,
    schema,
    close: async () => {
      await definition.stop?.();
      await ws.dispose();
      for (const client of wss.clients) client.terminate();
      await apollo.stop();
      http.closeAllConnections();
      await new Promise<void>((resolve) => http.close(() => resolve()));
    },
  };
}
