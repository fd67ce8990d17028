import type { Decider } from '../../../shared/decider/decider.js';
import { badInput } from '../../../shared/errors/codes.js';
import { MAX_LOCATION_LENGTH, MAX_NAME_LENGTH } from '../rules/limits.js';
import { validateId } from '../../../shared/domain/id.js';
import { validateOptionalText, validateRequiredText } from '../rules/validate.js';
import type { StoreCommand } from './commands.js';
import type { StoreEvent } from './events.js';
import { initialStoreState, type StoreState } from './state.js';

/** Decides store commands. */
export function decideStore(command: StoreCommand, state: StoreState): StoreEvent[] {
  switch (command.type) {
    case 'RegisterStore': {
      const storeId = validateId(command.storeId, 'storeId');
      if (state.registered) throw badInput(`store ${storeId} is already registered`, 'storeId');
      const name = validateRequiredText(command.name, 'name', MAX_NAME_LENGTH);
      const location = validateOptionalText(command.location, 'location', MAX_LOCATION_LENGTH);
      return [{ type: 'StoreRegistered', data: { storeId, name, location } }];
    }
  }
}

/** Folds one store event into the state. */
export function evolveStore(state: StoreState, event: StoreEvent): StoreState {
  switch (event.type) {
    case 'StoreRegistered':
      return { registered: true, name: event.data.name };
    default:
      return state;
  }
}

/** The decider of stream `store-<id>`. */
export const storeDecider: Decider<StoreCommand, StoreEvent, StoreState> = {
  decide: decideStore,
  evolve: evolveStore,
  initialState: initialStoreState,
};
