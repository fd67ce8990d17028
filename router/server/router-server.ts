import { randomUUID, createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { GraphQLError, getOperationAST, getVariableValues, print, type ExecutionArgs, type ExecutionResult } from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import type { Logger } from 'pino';
import { WebSocketServer } from 'ws';
import { apolloRequestHandler } from '../../subgraphs/shared/server/apollo-http.js';
import { formatError, isUnexpected, withRequestErrorCode } from '../../subgraphs/shared/server/format-error.js';
import type { RouterGateway } from '../gateway/router-gateway.js';
import type { SubscriptionEngine } from '../subscriptions/subscription-engine.js';
import type { LoadedSupergraph } from '../supergraph/load-supergraph.js';
import { CORRELATION_HEADER } from '../gateway/subgraph-data-source.js';
import { DocumentCache } from './document-cache.js';
import type { RouterContext } from './router-context.js';

const SAFE_ID = /^[A-Za-z0-9._:-]{1,128}$/;

export interface RouterServerOptions {
  readonly port: number;
  readonly host?: string;
  readonly logger: Logger;
  readonly gateway: RouterGateway;
  readonly engine: SubscriptionEngine;
  readonly supergraph: () => LoadedSupergraph;
  /** Extra HTTP routes tried before GraphQL (playground, metrics); return true when handled. */
  readonly routes?: ReadonlyArray<(req: IncomingMessage, res: import('node:http').ServerResponse) => Promise<boolean> | boolean>;
  /** graphql-ws: close sockets that do not send connection_init in time. */
  readonly connectionInitWaitTimeoutMs?: number;
}

export interface RunningRouterServer {
  readonly url: string;
  readonly server: Server;
  readonly apollo: ApolloServer<RouterContext>;
  close(): Promise<void>;
}

function first(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/** The router's per-request context from headers or connection params. */
export function routerContext(logger: Logger, read: (name: string) => string | undefined): RouterContext {
  const given = read(CORRELATION_HEADER);
  const correlationId = given && SAFE_ID.test(given) ? given : randomUUID();
  const authorization = read('authorization');
  return {
    correlationId,
    actor: undefined,
    logger: logger.child({ correlationId }),
    // Subscriptions are shared only between callers presenting the same credentials.
    authScope: authorization ? createHash('sha256').update(authorization).digest('hex') : 'anonymous',
  };
}

/** HTTP (queries, mutations) and graphql-ws (all operations) on one `/graphql` path. */
export async function startRouterServer(options: RouterServerOptions): Promise<RunningRouterServer> {
  const { logger } = options;
  const apollo = new ApolloServer<RouterContext>({
    gateway: options.gateway.gateway,
    // The playground (GraphiQL) and schema tooling introspect; Apollo turns it off under NODE_ENV=production.
    introspection: true,
    includeStacktraceInErrorResponses: false,
    formatError: (formatted, error) => {
      if (isUnexpected(error)) logger.error({ err: error }, 'unexpected error');
      return formatError(formatted, error);
    },
    plugins: [ApolloServerPluginLandingPageDisabled()],
  });
  await apollo.start();
  const handleGraphQL = apolloRequestHandler(apollo, async (req) =>
    routerContext(logger, (name) => first(req.headers[name])),
  );

  const http = createServer((req, res) => {
    void (async () => {
      for (const route of options.routes ?? []) if (await route(req, res)) return;
      const path = (req.url ?? '/').split('?')[0];
      if (path !== '/graphql') {
        res.writeHead(404, { 'content-type': 'text/plain' });
        res.end('not found');
        return;
      }
      await handleGraphQL(req, res);
    })().catch((error: unknown) => {
      logger.error({ err: error }, 'request failed');
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ errors: [{ message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR' } }] }));
    });
  });

  const wss = new WebSocketServer({ server: http, path: '/graphql' });
  const documents = new DocumentCache();
  const format = (result: ExecutionResult) =>
    result.errors
      ? {
          ...result,
          errors: result.errors.map((error) => {
            if (isUnexpected(error)) logger.error({ err: error }, 'unexpected error');
            return formatError(error instanceof GraphQLError ? error.toJSON() : { message: String(error) }, error);
          }),
        }
      : result;
  const ws = useServer<Record<string, unknown> | undefined, { request: IncomingMessage }>(
    {
      schema: () => options.supergraph().schema,
      connectionInitWaitTimeout: options.connectionInitWaitTimeoutMs ?? 3_000,
      context: (ctx) =>
        routerContext(logger, (name) => {
          const param = ctx.connectionParams?.[name] ?? (name === 'authorization' ? ctx.connectionParams?.['Authorization'] : undefined);
          return typeof param === 'string' ? param : first(ctx.extra.request.headers[name]);
        }) as unknown as Record<string, unknown>,
      // Parse and validate here so failures carry the same codes as over HTTP (graphql-ws would
      // otherwise close the socket on a syntax error and send uncoded validation errors).
      onSubscribe: (_ctx, _id, payload) => {
        const schema = options.supergraph().schema;
        const checked = documents.check(schema, payload.query);
        if ('errors' in checked) return [...checked.errors];
        return {
          schema,
          document: checked.document,
          operationName: payload.operationName ?? null,
          variableValues: payload.variables ?? {},
        };
      },
      // Queries and mutations over the socket go through the same gateway pipeline as HTTP.
      execute: async (args: ExecutionArgs) => {
        const response = await apollo.executeOperation(
          { query: print(args.document), variables: (args.variableValues ?? {}) as Record<string, unknown>, ...(args.operationName ? { operationName: args.operationName } : {}) },
          { contextValue: args.contextValue as RouterContext },
        );
        if (response.body.kind !== 'single') return { errors: [new GraphQLError('incremental delivery is not supported over WebSocket')] };
        return response.body.singleResult as ExecutionResult;
      },
      subscribe: async (args: ExecutionArgs) => {
        const operation = getOperationAST(args.document, args.operationName);
        if (operation?.operation !== 'subscription') return { errors: [new GraphQLError('not a subscription')] };
        // graphql-ws hands over raw variables; coerce them as execution would, with the HTTP code.
        const coerced = getVariableValues(args.schema, operation.variableDefinitions ?? [], (args.variableValues ?? {}) as Record<string, unknown>);
        if (coerced.errors) {
          return { errors: coerced.errors.map((error) => new GraphQLError(error.message, { nodes: error.nodes, extensions: { code: 'BAD_USER_INPUT' } })) };
        }
        return options.engine.subscribe({
          document: args.document,
          operationName: args.operationName ?? null,
          variables: coerced.coerced,
          context: args.contextValue as RouterContext,
        });
      },
      onError: (_ctx, _id, _payload, errors) =>
        errors.map((error) => {
          const coded = withRequestErrorCode(error);
          if (isUnexpected(coded)) logger.error({ err: coded }, 'unexpected error');
          return formatError(coded.toJSON(), coded);
        }),
      onNext: (_ctx, _id, _payload, _args, result) => format(result as ExecutionResult),
    },
    wss,
  );

  await new Promise<void>((resolve) => http.listen(options.port, options.host ?? '127.0.0.1', resolve));
  const address = http.address() as AddressInfo;
  const url = `http://${options.host ?? '127.0.0.1'}:${address.port}/graphql`;
  return {
    url,
    server: http,
    apollo,
    close: async () => {
      for (const client of wss.clients) client.close(1001, 'router shutting down');
      await ws.dispose();
      await apollo.stop();
      http.closeAllConnections();
      await new Promise<void>((resolve) => http.close(() => resolve()));
    },
  };
}
