import { createClient, type Client, type ClientOptions } from 'graphql-ws';
import WebSocket from 'ws';

/** The JSON body of a GraphQL response, loosely typed for assertions. */
export interface GraphQLResponse<Data = Record<string, any>> {
  data?: Data | null;
  errors?: Array<{ message: string; extensions?: Record<string, unknown> }>;
}

/** POSTs one operation. */
export async function gql<Data = Record<string, any>>(
  url: string,
  query: string,
  variables: Record<string, unknown> = {},
  headers: Record<string, string> = {},
): Promise<GraphQLResponse<Data>> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query, variables }),
  });
  return (await response.json()) as GraphQLResponse<Data>;
}

/** A graphql-ws client for tests (real WebSocket). */
export function wsClient(url: string, options: Partial<ClientOptions> = {}): Client {
  return createClient({ url, webSocketImpl: WebSocket, retryAttempts: 0, ...options });
}

/** Collects a subscription's results; `waitFor(n)` resolves once n arrived. */
export interface Collected {
  readonly results: GraphQLResponse[];
  readonly errors: unknown[];
  completed: boolean;
  waitFor(count: number, timeoutMs?: number): Promise<GraphQLResponse[]>;
  dispose(): void;
}

export function collect(client: Client, query: string, variables: Record<string, unknown> = {}): Collected {
  const results: GraphQLResponse[] = [];
  const errors: unknown[] = [];
  const waiters: Array<() => void> = [];
  const wake = () => waiters.splice(0).forEach((wakeUp) => wakeUp());
  const collected: Collected = {
    results,
    errors,
    completed: false,
    async waitFor(count, timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      while (results.length < count) {
        if (errors.length > 0) throw new Error(`subscription failed: ${JSON.stringify(errors)}`);
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${count} results, got ${results.length}: ${JSON.stringify(results)}`);
        await new Promise<void>((resolve) => {
          waiters.push(resolve);
          setTimeout(resolve, 50);
        });
      }
      return results.slice(0, count);
    },
    dispose: () => undefined,
  };
  collected.dispose = client.subscribe(
    { query, variables },
    {
      next: (value) => {
        results.push(value as GraphQLResponse);
        wake();
      },
      error: (error) => {
        errors.push(error);
        wake();
      },
      complete: () => {
        collected.completed = true;
        wake();
      },
    },
  );
  return collected;
}

/** Polls until `check` returns true. */
export async function eventually(check: () => boolean | Promise<boolean>, timeoutMs = 10_000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
