/**
 * The whole product with the live dashboard on the router: every subgraph on a fresh database,
 * the router serving the dashboard at `/` (and GraphiQL at `/graphql`), and a development token
 * the test can take away to see the page without one.
 */
import { createDashboardHandler } from '../../router/dashboard/index.js';
import { createPlaygroundHandler } from '../../router/playground/playground.js';
import type { RunningRouter } from '../../router/start-router.js';
import { startFullStack } from './full-stack.js';
import { clientToken } from './security.js';

export interface DashboardStack {
  readonly router: RunningRouter;
  /** `http://127.0.0.1:<port>`: the dashboard is at `/`. */
  readonly origin: string;
  /** The token the page is given now (undefined: none). */
  token(): string | undefined;
  /** What the dashboard handler gives pages from now on. */
  setToken(token: string | undefined): void;
  /** POSTs an operation to the router with the current token; throws on GraphQL errors. */
  request<Data = Record<string, unknown>>(query: string, variables?: Record<string, unknown>): Promise<Data>;
  close(): Promise<void>;
}

export async function startDashboardStack(): Promise<DashboardStack> {
  // A development token of the test keys, as `npm start` gives the playground and the dashboard.
  let token: string | undefined = await clientToken('developer');
  const developmentToken = async () => token;
  const dashboard = createDashboardHandler({ developmentToken });
  const playground = createPlaygroundHandler({ endpoint: '/graphql', developmentToken });
  const stack = await startFullStack({ routes: [(req, res) => dashboard.handle(req, res), (req, res) => playground.handle(req, res)] });
  const { router } = stack;
  const origin = new URL(router.url).origin;

  return {
    router,
    origin,
    token: () => token,
    setToken: (next) => {
      token = next;
    },
    async request<Data>(query: string, variables: Record<string, unknown> = {}): Promise<Data> {
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      if (token) headers.authorization = `Bearer ${token}`;
      const response = await fetch(router.url, { method: 'POST', headers, body: JSON.stringify({ query, variables }) });
      const body = (await response.json()) as { data?: Data; errors?: unknown[] };
      if (body.errors?.length) throw new Error(`GraphQL errors: ${JSON.stringify(body.errors)}`);
      return body.data as Data;
    },
    close: () => stack.close(),
  };
}
