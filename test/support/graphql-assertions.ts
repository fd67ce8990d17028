import { expect } from 'vitest';
import type { RouterCall } from './security.js';

/** A GraphQL response with its HTTP status, as the subgraph test harnesses return it. */
export interface HttpGraphQLResponse<Data = Record<string, any>> {
  readonly status: number;
  readonly data?: Data | null;
  readonly errors?: Array<{ message: string; extensions?: Record<string, unknown> }>;
}

/** Anything that can post an operation: every subgraph harness. */
export interface GraphQLRequester {
  request<Data = Record<string, any>>(query: string, variables?: Record<string, unknown>, call?: RouterCall): Promise<HttpGraphQLResponse<Data>>;
}

/** Runs an operation that must succeed and returns its data. */
export async function ok<Data = Record<string, any>>(
  harness: GraphQLRequester,
  query: string,
  variables: Record<string, unknown> = {},
  call: RouterCall = {},
): Promise<Data> {
  const response = await harness.request<Data>(query, variables, call);
  if (response.errors?.length) throw new Error(`unexpected GraphQL errors: ${JSON.stringify(response.errors)}`);
  expect(response.status).toBe(200);
  return response.data as Data;
}

/** Runs an operation that must fail with exactly one error of `code`; returns that error. */
export async function fails(
  harness: GraphQLRequester,
  code: string,
  query: string,
  variables: Record<string, unknown> = {},
): Promise<NonNullable<HttpGraphQLResponse['errors']>[number]> {
  const response = await harness.request(query, variables);
  expect(response.errors, `expected ${code}, got data ${JSON.stringify(response.data)}`).toBeDefined();
  expect(response.errors).toHaveLength(1);
  const [error] = response.errors!;
  expect(error!.extensions?.code, error!.message).toBe(code);
  return error!;
}
