import { badInput, notFound } from '../../../shared/errors/codes.js';
import type { CampaignState } from '../campaign/state.js';
import { parseMoney, toMoney } from '../money.js';
import { MAX_CONVERSION_QUANTITY } from '../rules/limits.js';
import { validateId, validateOptionalId } from '../../../shared/domain/id.js';
import { validatePositiveInteger } from '../rules/validate.js';
import { activeCampaign, activityWindow, ensureInfluencer, occurredWithin, type InfluencerExists } from './campaign-rules.js';
import type { ConversionInput } from './commands.js';
import type { ConversionRegistered } from './events.js';

/** Where a recorded impression belongs, or undefined when no impression has that id. */
export type ImpressionLookup = (impressionId: string) => { readonly campaignId: string; readonly influencerId: string } | undefined;

/**
 * Decides one conversion against its campaign's state.
 *
 * Errors: malformed fields, negative money or more fraction digits than its currency's minor unit,
 * a currency that ISO 4217 does not list with a minor unit, a non-positive quantity, a campaign
 * that is not ACTIVE, an `occurredAt` outside [startsAt, endsAt) or in the future, an impression
 * of another campaign or influencer → BAD_USER_INPUT; an unknown campaign, influencer or
 * impression → NOT_FOUND.
 */
export function decideConversion(
  campaign: CampaignState,
  influencerExists: InfluencerExists,
  impressionLookup: ImpressionLookup,
  command: ConversionInput,
): ConversionRegistered {
  const conversionId = validateId(command.conversionId, 'conversionId');
  const influencerId = validateId(command.influencerId, 'influencerId');
  const value = parseMoney(command.value, 'value');
  const impressionId = validateOptionalId(command.impressionId, 'impressionId');
  const productId = validateOptionalId(command.productId, 'productId');
  const storeId = validateOptionalId(command.storeId, 'storeId');
  const quantity =
    command.quantity === undefined || command.quantity === null ? null : validatePositiveInteger(command.quantity, 'quantity', MAX_CONVERSION_QUANTITY);

  const active = activeCampaign(campaign, command.campaignId, 'campaignId');
  const occurredAt = occurredWithin(activityWindow(active), command.occurredAt, command.now, '');
  ensureInfluencer(influencerExists, influencerId);
  if (impressionId !== null) {
    const impression = impressionLookup(impressionId);
    if (impression === undefined) throw notFound('impression', impressionId);
    if (impression.campaignId !== active.campaignId) {
      throw badInput(`impression ${impressionId} belongs to campaign ${impression.campaignId}, not ${active.campaignId}`, 'impressionId');
    }
    if (impression.influencerId !== influencerId) {
      throw badInput(`impression ${impressionId} belongs to influencer ${impression.influencerId}, not ${influencerId}`, 'impressionId');
    }
  }

  return {
    type: 'ConversionRegistered',
    data: {
      schemaVersion: 2,
      conversionId,
      campaignId: active.campaignId,
      influencerId,
      value: toMoney(value),
      valueMinor: value.amountMinor,
      impressionId,
      productId,
      storeId,
      quantity,
      occurredAt,
    },
  };
}
