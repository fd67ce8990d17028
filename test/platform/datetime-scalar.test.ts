import { GraphQLObjectType, GraphQLSchema, GraphQLString, graphql } from 'graphql';
import { describe, expect, it } from 'vitest';
import { DateTimeScalar } from '../../subgraphs/shared/graphql/scalars.js';

/** `echo(at)` answers the instant it received; `iso(at)` what the resolver got, as toISOString. */
const schema = new GraphQLSchema({
  query: new GraphQLObjectType({
    name: 'Query',
    fields: {
      echo: { type: DateTimeScalar, args: { at: { type: DateTimeScalar } }, resolve: (_, args: { at: Date }) => args.at },
      iso: { type: GraphQLString, args: { at: { type: DateTimeScalar } }, resolve: (_, args: { at: Date }) => args.at.toISOString() },
      stored: { type: DateTimeScalar, resolve: () => '2026-11-25 04:00:00+01' },
    },
  }),
});

const run = (source: string, variableValues?: Record<string, unknown>) => graphql({ schema, source, ...(variableValues ? { variableValues } : {}) });

describe('DateTime scalar', () => {
  it('takes RFC 3339 date-times with an offset, as variables and literals, and answers them in UTC', async () => {
    const variable = await run('query($at: DateTime) { echo(at: $at) iso(at: $at) }', { at: '2026-11-25T04:00:00+01:00' });
    expect(variable).toEqual({ data: { echo: '2026-11-25T03:00:00.000Z', iso: '2026-11-25T03:00:00.000Z' } });
    const literal = await run('{ echo(at: "2026-11-24T22:00:00.25-05:00") }');
    expect(literal).toEqual({ data: { echo: '2026-11-25T03:00:00.250Z' } });
    expect(await run('{ stored }')).toEqual({ data: { stored: '2026-11-25T03:00:00.000Z' } });
  });

  it('refuses a date-time without an offset with BAD_USER_INPUT instead of reading it in local time', async () => {
    for (const at of ['2026-11-25T03:00:00', '2026-11-25T03:00:00.000', '2026-11-25', '2026-11-25 03:00:00Z', 1_764_039_600_000]) {
      const variable = await run('query($at: DateTime) { echo(at: $at) }', { at });
      expect(variable.errors, String(at)).toHaveLength(1);
      expect(variable.errors![0]!.extensions.code).toBe('BAD_USER_INPUT');
      expect(variable.errors![0]!.message).toMatch(/RFC 3339 date-time with an offset or Z/);
    }
    const literal = await run('{ echo(at: "2026-11-25T03:00:00") }');
    expect(literal.errors?.[0]?.extensions.code).toBe('BAD_USER_INPUT');
    const notAString = await run('{ echo(at: 1764039600000) }');
    expect(notAString.errors?.[0]?.extensions.code).toBe('BAD_USER_INPUT');
  });
});
