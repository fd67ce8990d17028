import type { Decider } from '../../../shared/decider/decider.js';
import { DomainError, ErrorCode, badInput, notFound } from '../../../shared/errors/codes.js';
import { normalizeMoney } from '../money.js';
import { MAX_CAMPAIGN_NAME_LENGTH } from '../rules/limits.js';
import { validateId, validateOptionalId } from '../../../shared/domain/id.js';
import { validateInstant, validateRequiredText } from '../rules/validate.js';
import type { CampaignCommand, CreateCampaign } from './commands.js';
import type { CampaignEvent } from './events.js';
import { initialCampaignState, type CampaignState, type CampaignStatus, type CreatedCampaign } from './state.js';

/** Decides campaign commands. Status changes follow ACTIVE ⇄ PAUSED, ACTIVE|PAUSED → ENDED. */
export function decideCampaign(command: CampaignCommand, state: CampaignState): CampaignEvent[] {
  if (command.type === 'CreateCampaign') return [created(command, state)];

  const campaignId = validateId(command.campaignId, 'campaignId');
  const at = validateInstant(command.now, 'now').iso;
  if (!state.created) throw notFound('campaign', campaignId);
  switch (command.type) {
    case 'PauseCampaign':
      requireStatus(state, ['ACTIVE'], 'paused');
      return [{ type: 'CampaignPaused', data: { campaignId, pausedAt: at } }];
    case 'ResumeCampaign':
      requireStatus(state, ['PAUSED'], 'resumed');
      return [{ type: 'CampaignResumed', data: { campaignId, resumedAt: at } }];
    case 'EndCampaign':
      requireStatus(state, ['ACTIVE', 'PAUSED'], 'ended');
      return [{ type: 'CampaignEnded', data: { campaignId, endedAt: at } }];
  }
}

function created(command: CreateCampaign, state: CampaignState): CampaignEvent {
  const campaignId = validateId(command.campaignId, 'campaignId');
  if (state.created) throw badInput(`campaign ${campaignId} already exists`, 'campaignId');
  const name = validateRequiredText(command.name, 'name', MAX_CAMPAIGN_NAME_LENGTH);
  const budget = command.budget === undefined || command.budget === null ? null : normalizeMoney(command.budget, 'budget');
  const startsAt = validateInstant(command.startsAt, 'startsAt');
  let endsAt: string | null = null;
  if (command.endsAt !== undefined && command.endsAt !== null) {
    const end = validateInstant(command.endsAt, 'endsAt');
    if (end.ms <= startsAt.ms) throw badInput('endsAt must be later than startsAt', 'endsAt');
    endsAt = end.iso;
  }
  const productId = validateOptionalId(command.productId, 'productId');
  return { type: 'CampaignCreated', data: { schemaVersion: 2, campaignId, name, budget, startsAt: startsAt.iso, endsAt, productId } };
}

function requireStatus(state: CreatedCampaign, allowed: readonly CampaignStatus[], verb: string): void {
  if (allowed.includes(state.status)) return;
  throw new DomainError(
    ErrorCode.BAD_USER_INPUT,
    `campaign ${state.campaignId} is ${state.status}; only a campaign that is ${allowed.join(' or ')} can be ${verb}`,
    { field: 'campaignId', status: state.status },
  );
}

/** Folds one campaign event into the state. */
export function evolveCampaign(state: CampaignState, event: CampaignEvent): CampaignState {
  if (event.type === 'CampaignCreated') {
    const { campaignId, name, budget, startsAt, endsAt, productId } = event.data;
    return { created: true, status: 'ACTIVE', campaignId, name, budget, startsAt, endsAt, productId };
  }
  if (!state.created) return state;
  switch (event.type) {
    case 'CampaignPaused':
      return { ...state, status: 'PAUSED' };
    case 'CampaignResumed':
      return { ...state, status: 'ACTIVE' };
    case 'CampaignEnded':
      return { ...state, status: 'ENDED' };
    default:
      return state;
  }
}

/** The decider of stream `campaign-<id>`. */
export const campaignDecider: Decider<CampaignCommand, CampaignEvent, CampaignState> = {
  decide: decideCampaign,
  evolve: evolveCampaign,
  initialState: initialCampaignState,
};
