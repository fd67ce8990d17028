/** The seed's GraphQL client: JSON POSTs with the seed's actor and, when it has one, its token. */

/** One error of a GraphQL response. */
interface ResponseError {
  readonly message: string;
  readonly extensions?: { readonly code?: string; readonly retryAfter?: number };
}

/** A refused request is sent again at most this many times when the router says RATE_LIMITED. */
const RATE_LIMIT_RETRIES = 20;

/** Sends an operation to one endpoint and returns its data, or throws its first error. */
export type GraphQLCall = <Data>(query: string, variables?: Record<string, unknown>) => Promise<Data>;

/** An error the API answered with; the message starts with its `extensions.code`. */
export class SeedRequestError extends Error {
  override readonly name = 'SeedRequestError';
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(`${code}: ${message}`);
  }
}

/**
 * A client of `url` that sends `authorization: Bearer <token>` when a token is given. A request
 * the router refuses as RATE_LIMITED is sent again after the `retryAfter` it names: every seed
 * command carries an id or an idempotency key, so sending one twice records it once.
 */
export function graphqlClient(url: string, token: string | undefined): GraphQLCall {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (token) headers.authorization = `Bearer ${token}`;
  return async <Data>(query: string, variables: Record<string, unknown> = {}): Promise<Data> => {
    for (let attempt = 0; ; attempt += 1) {
      const response = await fetch(url, { method: 'POST', headers, body: JSON.stringify({ query, variables }) });
      const text = await response.text();
      let body: { data?: Data; errors?: ResponseError[] };
      try {
        body = JSON.parse(text) as typeof body;
      } catch {
        throw new SeedRequestError(`HTTP_${response.status}`, text.slice(0, 200));
      }
      const [error] = body.errors ?? [];
      if (!error) return body.data as Data;
      const code = error.extensions?.code ?? 'ERROR';
      if (code !== 'RATE_LIMITED' || attempt >= RATE_LIMIT_RETRIES) throw new SeedRequestError(code, error.message);
      await new Promise((resolve) => setTimeout(resolve, (error.extensions?.retryAfter ?? 1) * 1000));
    }
  };
}

/** The names of the mutations an endpoint offers (to tell which subgraphs it reaches). */
export async function mutationNames(call: GraphQLCall): Promise<Set<string>> {
  const data = await call<{ __schema: { mutationType: { fields: Array<{ name: string }> } | null } }>('{ __schema { mutationType { fields { name } } } }');
  return new Set(data.__schema.mutationType?.fields.map((field) => field.name) ?? []);
}
