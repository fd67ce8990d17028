import { GraphQLError } from 'graphql';

/** The code a live stream ends with when its consumer fell too far behind. */
export const SLOW_CONSUMER = 'SLOW_CONSUMER';

/** Ends a subscription whose consumer fell too far behind; it resumes with its last position. */
export function slowConsumer(): GraphQLError {
  return new GraphQLError('subscriber too slow; resume with the last position', { extensions: { code: SLOW_CONSUMER } });
}
