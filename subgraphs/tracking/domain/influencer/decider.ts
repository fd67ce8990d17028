import type { Decider } from '../../../shared/decider/decider.js';
import { badInput } from '../../../shared/errors/codes.js';
import { HANDLE_PATTERN, MAX_HANDLE_LENGTH } from '../rules/limits.js';
import { validateId } from '../../../shared/domain/id.js';
import type { InfluencerCommand } from './commands.js';
import type { InfluencerEvent } from './events.js';
import { validatePlatform } from './platform.js';
import { initialInfluencerState, type InfluencerState } from './state.js';

/** Decides influencer commands. Handle uniqueness across influencers is the application's concern. */
export function decideInfluencer(command: InfluencerCommand, state: InfluencerState): InfluencerEvent[] {
  switch (command.type) {
    case 'RegisterInfluencer': {
      const influencerId = validateId(command.influencerId, 'influencerId');
      if (state.registered) throw badInput(`influencer ${influencerId} is already registered`, 'influencerId');
      const handle = validateHandle(command.handle);
      const platform = validatePlatform(command.platform);
      return [{ type: 'InfluencerRegistered', data: { influencerId, handle, platform } }];
    }
  }
}

/** A handle: 1..100 characters of `[A-Za-z0-9_.]`. */
export function validateHandle(value: unknown, field = 'handle'): string {
  if (typeof value !== 'string' || value.length === 0) throw badInput(`${field} is required`, field);
  if (value.length > MAX_HANDLE_LENGTH) {
    throw badInput(`${field} must be at most ${MAX_HANDLE_LENGTH} characters`, field);
  }
  if (!HANDLE_PATTERN.test(value)) {
    throw badInput(`${field} may contain only letters, digits, '_' and '.'`, field);
  }
  return value;
}

/** Folds one influencer event into the state. */
export function evolveInfluencer(state: InfluencerState, event: InfluencerEvent): InfluencerState {
  switch (event.type) {
    case 'InfluencerRegistered':
      return { registered: true, handle: event.data.handle, platform: event.data.platform };
    default:
      return state;
  }
}

/** The decider of stream `influencer-<id>`. */
export const influencerDecider: Decider<InfluencerCommand, InfluencerEvent, InfluencerState> = {
  decide: decideInfluencer,
  evolve: evolveInfluencer,
  initialState: initialInfluencerState,
};
