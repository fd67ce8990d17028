import type { Platform } from './shared/platform.js';
import type { SubgraphDefinition } from './shared/server/subgraph-definition.js';
import type { RequestContext } from './shared/server/request-context.js';
import { historySubgraph } from './history/subgraph.js';
import { inventorySubgraph } from './inventory/subgraph.js';
import { trackingSubgraph } from './tracking/subgraph.js';

/** A subgraph this repository ships, with its default port. */
export interface SubgraphEntry {
  readonly name: string;
  readonly port: number;
  create(platform: Platform): SubgraphDefinition<RequestContext>;
}

/** Every subgraph, by name. Default ports: history 4001, inventory 4002, tracking 4003. */
export const subgraphRegistry: readonly SubgraphEntry[] = [
  { name: 'history', port: 4001, create: (platform) => historySubgraph(platform) },
  { name: 'inventory', port: 4002, create: (platform) => inventorySubgraph(platform) },
  { name: 'tracking', port: 4003, create: (platform) => trackingSubgraph(platform) },
];
