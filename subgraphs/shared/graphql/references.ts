/**
 * An entity known only by its `id` key: what the router sends as a representation, and what a
 * subgraph returns for an entity whose own fields another subgraph resolves.
 */
export interface IdReference {
  readonly id: string;
}
