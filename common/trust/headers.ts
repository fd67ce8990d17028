/** Header carrying the router's deadline for a subgraph call, in milliseconds since the epoch. */
export const DEADLINE_HEADER = 'x-tributary-deadline';
