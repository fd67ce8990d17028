import { badInput } from '../../../shared/errors/codes.js';
import type { CampaignState } from '../campaign/state.js';
import { MAX_IMPRESSION_BATCH } from '../rules/limits.js';
import { validateId } from '../../../shared/domain/id.js';
import { activeCampaign, activityWindow, ensureInfluencer, occurredWithin, type InfluencerExists } from './campaign-rules.js';
import type { ImpressionInput } from './commands.js';
import type { ImpressionRegistered } from './events.js';

/**
 * Decides a batch of impressions for one campaign. Repeated `impressionId`s inside the batch are
 * dropped (the first occurrence wins, later ones are not validated); ids already recorded by earlier
 * batches are the application's to skip. The whole batch is rejected on the first invalid
 * impression, with `extensions.field` such as `impressions[3].occurredAt`.
 *
 * Errors: more than {@link MAX_IMPRESSION_BATCH} commands, a campaign that is not ACTIVE, an
 * `occurredAt` outside [startsAt, endsAt) or in the future → BAD_USER_INPUT; an unknown campaign
 * or influencer → NOT_FOUND. An empty batch yields no events.
 */
export function decideImpressions(campaign: CampaignState, influencerExists: InfluencerExists, commands: readonly ImpressionInput[]): ImpressionRegistered[] {
  if (commands.length > MAX_IMPRESSION_BATCH) {
    throw badInput(`a batch may hold at most ${MAX_IMPRESSION_BATCH} impressions, got ${commands.length}`, 'impressions');
  }
  const first = commands[0];
  if (first === undefined) return [];
  const window = activityWindow(activeCampaign(campaign, first.campaignId, 'impressions[0].campaignId'));

  const seen = new Set<string>();
  const known = new Set<string>();
  const events: ImpressionRegistered[] = [];
  commands.forEach((command, index) => {
    const prefix = `impressions[${index}].`;
    const impressionId = validateId(command.impressionId, `${prefix}impressionId`);
    if (seen.has(impressionId)) return;
    seen.add(impressionId);
    if (command.campaignId !== window.campaign.campaignId) {
      activeCampaign(campaign, command.campaignId, `${prefix}campaignId`);
    }
    const influencerId = validateId(command.influencerId, `${prefix}influencerId`);
    const occurredAt = occurredWithin(window, command.occurredAt, command.now, prefix);
    if (!known.has(influencerId)) {
      ensureInfluencer(influencerExists, influencerId);
      known.add(influencerId);
    }
    events.push({
      type: 'ImpressionRegistered',
      data: { impressionId, campaignId: window.campaign.campaignId, influencerId, occurredAt },
    });
  });
  return events;
}
