/**
 * PROTOTYPE of a proposed change to router/gateway/subgraph-data-source.ts, patched into a
 * benchmark's router process only (the router's code is unchanged): a lean `process()` for the
 * subgraph data sources that posts with undici's `request()` on a keep-alive Agent instead of
 * going through RemoteGraphQLDataSource.sendRequest → undici `fetch`:
 *
 * - no node-fetch `Headers` and `Request` built per call (RemoteGraphQLDataSource builds both,
 *   the Request only for its error hooks),
 * - no WHATWG fetch machinery (Request/Response objects, web streams, body cloning),
 * - no `AbortSignal.timeout()` per call (a transferable signal plus a timer; the Agent's
 *   headersTimeout/bodyTimeout bound the call instead).
 *
 * Same wire behaviour: JSON POST of { query, variables, operationName }, the correlation id and
 * actor headers, the trace header when the gateway asks for it, non-2xx → error.
 */
import type { GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { GraphQLError } from 'graphql';
import { Agent, request } from 'undici';
import { ACTOR_HEADER, CORRELATION_HEADER } from '../../router/gateway/subgraph-data-source.js';
import type { RouterGateway } from '../../router/gateway/router-gateway.js';
import type { RunningRouter } from '../../router/start-router.js';
import type { RouterContext } from '../../router/server/router-context.js';

export function applyLeanDataSources(router: RunningRouter, timeoutMs = 30_000): void {
  const gateway = (router.engine as unknown as { gateway: RouterGateway }).gateway;
  const agent = new Agent({ keepAliveTimeout: 30_000, keepAliveMaxTimeout: 600_000, connections: 128, pipelining: 1, headersTimeout: timeoutMs, bodyTimeout: timeoutMs });
  for (const service of router.current().services) {
    const source = gateway.dataSource(service.name);
    const url = service.url;
    source.process = async (options: GraphQLDataSourceProcessOptions<any>) => {
      const { request: operation } = options;
      const context = options.context as Partial<RouterContext> | undefined;
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      const extra = operation.http?.headers;
      if (extra) for (const [name, value] of extra as unknown as Iterable<[string, string]>) headers[name] = value;
      if (context?.correlationId) headers[CORRELATION_HEADER] = context.correlationId;
      if (context?.actor) headers[ACTOR_HEADER] = context.actor;
      const response = await request(url, {
        method: 'POST',
        headers,
        body: JSON.stringify({ query: operation.query, variables: operation.variables, operationName: operation.operationName, extensions: operation.extensions }),
        dispatcher: agent,
      });
      if (response.statusCode < 200 || response.statusCode >= 300) {
        const text = await response.body.text();
        throw new GraphQLError(`${response.statusCode}: ${text.slice(0, 200)}`, { extensions: { code: 'SUBGRAPH_HTTP_ERROR', response: { status: response.statusCode } } });
      }
      return (await response.body.json()) as Awaited<ReturnType<typeof source.process>>;
    };
  }
}
