/** Header carrying a request's correlation id, from the client to the router and on to each subgraph call. */
export const CORRELATION_HEADER = 'x-correlation-id';

/** Header carrying the router's deadline for a subgraph call, in milliseconds since the epoch. */
export const DEADLINE_HEADER = 'x-tributary-deadline';
