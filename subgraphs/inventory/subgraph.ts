import { readFileSync } from 'node:fs';
import { parse } from 'graphql';
import { DateTimeScalar, JSONScalar } from '../shared/graphql/scalars.js';
import type { Platform } from '../shared/platform.js';
import type { SubgraphDefinition } from '../shared/server/subgraph-definition.js';
import { inventoryCommands } from './commands/inventory-commands.js';
import type { InventoryContext } from './context.js';
import { ReservationExpirer } from './expiry/reservation-expirer.js';
import { createInventoryLoaders } from './read-models/loaders.js';
import { entityResolvers } from './resolvers/entities.js';
import type { Resolvers } from './resolvers/resolvers-types.generated.js';
import { mutationResolvers } from './resolvers/mutations.js';
import { inventoryQueries, queryResolvers } from './resolvers/queries.js';
import { subscriptionResolvers } from './resolvers/subscriptions.js';

/** The inventory SDL, as composed into the supergraph. */
export const inventoryTypeDefs = parse(readFileSync(new URL('./schema.graphql', import.meta.url), 'utf8'));

export interface InventoryOptions {
  /** How often overdue reservations are released (ms). */
  readonly expiryIntervalMs?: number;
}

/** Products, stores, stock levels and reservations, event-sourced. */
export function inventorySubgraph(platform: Platform, options: InventoryOptions = {}): SubgraphDefinition<InventoryContext> {
  const commands = inventoryCommands(platform);
  const expirer = new ReservationExpirer({
    platform,
    logger: platform.logger.child({ component: 'reservation-expirer' }),
    ...(options.expiryIntervalMs ? { intervalMs: options.expiryIntervalMs } : {}),
  });
  const resolvers: Resolvers = {
    DateTime: DateTimeScalar,
    JSON: JSONScalar,
    Query: queryResolvers(inventoryQueries(platform)),
    Mutation: mutationResolvers,
    Subscription: subscriptionResolvers,
    ...entityResolvers,
  };
  return {
    name: 'inventory',
    typeDefs: inventoryTypeDefs,
    resolvers,
    createContext: (base) => ({ ...base, platform, commands, loaders: createInventoryLoaders(platform.db.kysely) }),
    start: async () => expirer.start(),
    stop: () => expirer.stop(),
  };
}
