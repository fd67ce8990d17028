import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { ApolloServer } from '@apollo/server';
import {
  ApolloServerPluginCacheControlDisabled,
  ApolloServerPluginInlineTraceDisabled,
  ApolloServerPluginLandingPageDisabled,
} from '@apollo/server/plugin/disabled';
import { buildSubgraphSchema } from '@apollo/subgraph';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper/index.js';
import { GraphQLError, type GraphQLFormattedError, type GraphQLSchema } from 'graphql';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import { WebSocketServer } from 'ws';
import { RouterTokenRefused, type RouterAssertion, type RouterTokenVerifier } from '../../../common/trust/router-token.js';
import { MAX_BODY_BYTES } from '../../../common/http/request-body.js';
import { SpanKind, contextFrom, inSpan } from '../../../common/telemetry/tracing.js';
import { bindGraphqlWs, type SocketExtra } from '../../../common/websocket/graphql-ws-binding.js';
import { withDeadline } from '../commands/deadline.js';
import { capEntityBatches } from '../graphql/entity-batches.js';
import { readGraphQLBody, runApolloRequest } from './apollo-http.js';
import { leanGraphQL } from './lean-graphql.js';
import { formatError, isUnexpected, withRequestErrorCode } from '../../../common/errors/format-error.js';
import { CORRELATION_HEADER, DEADLINE_HEADER, createRequestContext, parseDeadline, type RequestContext } from './request-context.js';
import { bearerToken, checkRouterSignature, unauthenticatedBody } from './router-trust.js';
import type { SubgraphDefinition } from './subgraph-definition.js';

export interface SubgraphServerOptions {
  readonly port: number;
  readonly host?: string;
  readonly logger: Logger;
  /** Checks that calls come from the router: anything unsigned or badly signed is refused. */
  readonly trust: RouterTokenVerifier;
  /** Served at `/metrics` (Prometheus), like `/health` without the router's signature. */
  readonly metrics?: Registry;
}

/** A running subgraph: HTTP and graphql-ws on the same `/graphql` path. */
export interface RunningSubgraph {
  readonly name: string;
  readonly url: string;
  readonly schema: GraphQLSchema;
  close(): Promise<void>;
}

function headerOf(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** Refuses a WebSocket upgrade before any graphql-ws message is read. */
function refuseUpgrade(socket: Duplex, status: 401 | 404, body: string): void {
  const reason = status === 401 ? 'Unauthorized' : 'Not Found';
  socket.end(
    `HTTP/1.1 ${status} ${reason}\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`,
  );
}

/** Serves a subgraph definition until `close()`; only calls signed by the router are answered. */
export async function startSubgraphServer<Context extends RequestContext>(
  definition: SubgraphDefinition<Context>,
  options: SubgraphServerOptions,
): Promise<RunningSubgraph> {
  const logger = options.logger.child({ subgraph: definition.name });
  // At most a bounded number of entities per `_entities` call, whatever reaches the subgraph.
  const schema = capEntityBatches(
    buildSubgraphSchema({
      typeDefs: definition.typeDefs,
      // Each subgraph types its resolvers with its own context; @apollo/subgraph only knows `unknown`.
      resolvers: definition.resolvers as GraphQLResolverMap<unknown>,
    }),
  );
  const logUnexpected = (error: unknown) => {
    if (isUnexpected(error)) logger.error({ err: error }, 'unexpected error while resolving');
  };
  const formatClientError = (formatted: GraphQLFormattedError, error: unknown) => {
    logUnexpected(error);
    return formatError(formatted, error);
  };
  const apollo = new ApolloServer<Context>({
    schema,
    formatError: formatClientError,
    introspection: true,
    includeStacktraceInErrorResponses: false,
    // The router owns tracing and the playground; a subgraph answers GraphQL only. No cache hints
    // are declared, and Apollo's cache-control plugin would otherwise wrap every field's resolver.
    plugins: [ApolloServerPluginInlineTraceDisabled(), ApolloServerPluginLandingPageDisabled(), ApolloServerPluginCacheControlDisabled()],
  });
  await apollo.start();
  // Plain operations take the short path; Apollo Server answers everything else (and every
  // request error) with its own status codes and messages.
  const lean = leanGraphQL<Context>(schema, formatClientError);
  const contextOf = (req: IncomingMessage, assertion: RouterAssertion): Context =>
    definition.createContext(
      createRequestContext(logger, assertion, { deadline: headerOf(req, DEADLINE_HEADER), correlationId: headerOf(req, CORRELATION_HEADER) }),
    );
  const handle = async (req: IncomingMessage, res: ServerResponse, assertion: RouterAssertion): Promise<void> => {
    const read = await readGraphQLBody(req, res);
    if (!read) return;
    // One context per request, whichever path ends up executing it.
    let context: Context | undefined;
    const contextOnce = () => (context ??= contextOf(req, assertion));
    if (await lean(req, res, read.body, contextOnce)) return;
    await runApolloRequest(apollo, req, res, read.body, async () => contextOnce());
  };

  const http: Server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (path === '/health') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ status: 'ok', subgraph: definition.name }));
      return;
    }
    const { metrics } = options;
    if (path === '/metrics' && metrics) {
      void metrics.metrics().then(
        (text) => {
          res.writeHead(200, { 'content-type': metrics.contentType });
          res.end(text);
        },
        (error: unknown) => {
          logger.error({ err: error }, 'metrics could not be read');
          res.writeHead(500).end();
        },
      );
      return;
    }
    if (path !== '/graphql') {
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('not found');
      return;
    }
    void (async () => {
      const trust = await checkRouterSignature(options.trust, req);
      if (!trust.ok) {
        // The body is never read: close the connection so no unread bytes precede a next request.
        res.shouldKeepAlive = false;
        res.writeHead(401, { 'content-type': 'application/json', 'www-authenticate': 'Bearer', connection: 'close' });
        res.end(unauthenticatedBody(trust.reason));
        return;
      }
      // The call continues the router's trace; what runs for it (resolvers, commands, appends) nests here.
      // Commands this request runs keep to the router's deadline.
      await inSpan(
        'subgraph.request',
        { kind: SpanKind.SERVER, parent: contextFrom((name) => headerOf(req, name)), attributes: { 'tributary.subgraph': definition.name } },
        () => withDeadline(parseDeadline(headerOf(req, DEADLINE_HEADER)), () => handle(req, res, trust.assertion)),
      );
    })().catch((error: unknown) => {
      logger.error({ err: error }, 'request failed');
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ errors: [{ message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR' } }] }));
    });
  });

  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_BODY_BYTES });
  const connections = new WeakMap<IncomingMessage, RouterAssertion>();
  const identities = new WeakMap<object, RouterAssertion>();
  http.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    if ((req.url ?? '/').split('?')[0] !== '/graphql') return refuseUpgrade(socket, 404, '{"error":"not found"}');
    checkRouterSignature(options.trust, req).then(
      (trust) => {
        if (!trust.ok) return refuseUpgrade(socket, 401, unauthenticatedBody(trust.reason));
        connections.set(req, trust.assertion);
        wss.handleUpgrade(req, socket, head, (client) => wss.emit('connection', client, req));
      },
      (error: unknown) => {
        logger.error({ err: error }, 'upgrade failed');
        socket.destroy();
      },
    );
  });

  const ws = bindGraphqlWs<Record<string, unknown> | undefined, SocketExtra>(
    wss,
    {
      schema,
      // The router multiplexes many callers on one connection: each subscription carries its
      // caller's token (signed when the caller subscribed) in its extensions. A bad one refuses
      // that subscription only, not the connection.
      onSubscribe: async (ctx, _id, payload) => {
        const connection = connections.get(ctx.extra.request);
        if (!connection) return [new GraphQLError('connection not verified', { extensions: { code: 'UNAUTHENTICATED' } })];
        const headers = (payload.extensions?.headers ?? {}) as Record<string, unknown>;
        const token = typeof headers.authorization === 'string' ? bearerToken(headers.authorization) : undefined;
        if (!token) {
          identities.set(payload, connection);
          return undefined;
        }
        try {
          identities.set(payload, await options.trust.verify(token, { ignoreExpiry: true }));
          return undefined;
        } catch (error) {
          if (error instanceof RouterTokenRefused) return [new GraphQLError(error.message, { extensions: { code: 'UNAUTHENTICATED' } })];
          throw error;
        }
      },
      context: (_ctx, _id, payload) => {
        const assertion = identities.get(payload);
        if (!assertion) throw new Error('subscription context without a verified identity');
        const correlationId = (payload.extensions?.headers as Record<string, unknown> | undefined)?.[CORRELATION_HEADER];
        return definition.createContext(
          createRequestContext(logger, assertion, { correlationId: typeof correlationId === 'string' ? correlationId : undefined }),
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
    { logger },
    (socket, request) => ({ socket, request }),
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
