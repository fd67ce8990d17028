import { GraphQLError, GraphQLScalarType, Kind, type ValueNode } from 'graphql';
import { rfc3339InstantMs } from '../time/rfc3339-instant.js';

/** What a resolver receives for a `DateTime` argument or input field. */
export type DateTimeInput = Date;

/** What a resolver may return for a `DateTime` field: `serialize` takes a Date or an ISO-8601 string. */
export type DateTimeOutput = Date | string;

/** A `JSON` value, either way: passed through untouched. */
export type JSONValue = unknown;

function parseInstant(value: unknown): Date {
  const ms = typeof value === 'string' ? rfc3339InstantMs(value) : Number.NaN;
  if (Number.isNaN(ms)) {
    throw new GraphQLError(`DateTime must be an RFC 3339 date-time with an offset or Z, e.g. 2026-11-24T10:00:00Z; got ${JSON.stringify(value)}`, {
      extensions: { code: 'BAD_USER_INPUT' },
    });
  }
  return new Date(ms);
}

/**
 * `DateTime`: an instant. Clients send RFC 3339 date-times with an offset or `Z` (see
 * `rfc3339InstantMs`; offset-less ones are refused with BAD_USER_INPUT, never read in the server's
 * time zone); resolvers get a `Date`; responses are ISO-8601 in UTC (`toISOString`).
 */
export const DateTimeScalar = new GraphQLScalarType<Date, string>({
  name: 'DateTime',
  // The same text as the subgraph SDLs' description of the scalar.
  description: 'An instant: an RFC 3339 date-time with a UTC offset or Z (e.g. 2026-11-24T10:00:00.000Z); always returned in UTC.',
  serialize(value) {
    if (value instanceof Date) return value.toISOString();
    if (typeof value === 'string') return new Date(value).toISOString();
    throw new GraphQLError('DateTime cannot represent a non-date value');
  },
  parseValue: parseInstant,
  parseLiteral(ast) {
    if (ast.kind !== Kind.STRING) throw new GraphQLError('DateTime must be a string', { extensions: { code: 'BAD_USER_INPUT' } });
    return parseInstant(ast.value);
  },
});

function literalToJson(ast: ValueNode, variables?: Record<string, unknown> | null): unknown {
  switch (ast.kind) {
    case Kind.STRING:
    case Kind.BOOLEAN:
      return ast.value;
    case Kind.INT:
    case Kind.FLOAT:
      return Number(ast.value);
    case Kind.NULL:
      return null;
    case Kind.LIST:
      return ast.values.map((item) => literalToJson(item, variables));
    case Kind.OBJECT:
      return Object.fromEntries(ast.fields.map((field) => [field.name.value, literalToJson(field.value, variables)]));
    case Kind.VARIABLE:
      return variables?.[ast.name.value];
    default:
      throw new GraphQLError('JSON cannot represent an enum literal');
  }
}

/** `JSON`: any JSON value, passed through. */
export const JSONScalar = new GraphQLScalarType({
  name: 'JSON',
  description: 'Arbitrary JSON.',
  serialize: (value) => value,
  parseValue: (value) => value,
  parseLiteral: (ast, variables) => literalToJson(ast, variables),
});
