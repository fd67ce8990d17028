import type { Platform } from '../shared/platform.js';
import type { RequestContext } from '../shared/server/request-context.js';
import type { InventoryCommands } from './commands/inventory-commands.js';
import type { InventoryLoaders } from './read-models/loaders.js';

/** The context of every inventory resolver. */
export interface InventoryContext extends RequestContext {
  readonly platform: Platform;
  readonly commands: InventoryCommands;
  readonly loaders: InventoryLoaders;
}
