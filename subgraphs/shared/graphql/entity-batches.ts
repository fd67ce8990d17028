import { defaultFieldResolver, type GraphQLSchema } from 'graphql';
import { DomainError, ErrorCode } from '../errors/codes.js';

/** Most entity representations one `_entities` call may ask for. */
export const MAX_ENTITY_BATCH = 1_000;

/**
 * Caps the representations of one `_entities` call on a schema built by `buildSubgraphSchema`
 * (it wraps the field's resolver in place and returns the same schema). The router batches
 * every entity of a plan step into one call, so one operation could otherwise make a subgraph
 * load an unbounded batch; beyond the cap the call fails with BAD_USER_INPUT naming the maximum.
 */
export function capEntityBatches(schema: GraphQLSchema, max: number = MAX_ENTITY_BATCH): GraphQLSchema {
  const field = schema.getQueryType()?.getFields()._entities;
  if (!field) return schema;
  const resolve = field.resolve ?? defaultFieldResolver;
  field.resolve = (source, args: { representations?: unknown }, context, info) => {
    const found = Array.isArray(args.representations) ? args.representations.length : 0;
    if (found > max) {
      throw new DomainError(ErrorCode.BAD_USER_INPUT, `at most ${max} entities can be resolved in one call, ${found} were asked for`, {
        field: 'representations',
        max,
        found,
      });
    }
    return resolve(source, args, context, info);
  };
  return schema;
}
