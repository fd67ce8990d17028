import type { Upcasters } from '../../shared/event-store/upcasting.js';
import type { ConversionRegistered } from './activity/events.js';
import type { CampaignCreated } from './campaign/events.js';
import type { TrackingEvent } from './events.js';
import { roundedMinorOf, toMoney, type Money } from './money.js';

/**
 * A ConversionRegistered as recorded before schema version 2, when every currency counted
 * hundredths: `value` had two fraction digits and `valueMinor` counted hundredths whatever the
 * currency (1234 meant 12.34 JPY, and 12.34 KWD too).
 */
export type ConversionRegisteredV1 = Omit<ConversionRegistered['data'], 'schemaVersion'> & { readonly schemaVersion?: undefined };

/** A CampaignCreated as recorded before schema version 2: its budget written with two fraction digits. */
export type CampaignCreatedV1 = Omit<CampaignCreated['data'], 'schemaVersion'> & { readonly schemaVersion?: undefined };

/**
 * Money in the canonical form of its currency's ISO 4217 minor unit. The decimal amount always
 * meant the same (major units), so it is what the current amount is taken from; an amount finer
 * than the minor unit (12.34 JPY) is rounded to it.
 */
function inMinorUnits(money: Money): { readonly money: Money; readonly amountMinor: number } {
  const amountMinor = roundedMinorOf(money);
  return { money: toMoney({ amountMinor, currency: money.currency }), amountMinor };
}

/** ConversionRegistered in ISO 4217 minor units: `value` with its currency's digits, `valueMinor` counted in them. */
export function upcastConversionRegistered(stored: ConversionRegisteredV1 | ConversionRegistered['data']): ConversionRegistered['data'] {
  if (stored.schemaVersion === 2) return stored;
  const { money, amountMinor } = inMinorUnits(stored.value);
  return { ...stored, schemaVersion: 2, value: money, valueMinor: amountMinor };
}

/** CampaignCreated with its budget in the canonical form of its currency's minor unit. */
export function upcastCampaignCreated(stored: CampaignCreatedV1 | CampaignCreated['data']): CampaignCreated['data'] {
  if (stored.schemaVersion === 2) return stored;
  return { ...stored, schemaVersion: 2, budget: stored.budget && inMinorUnits(stored.budget).money };
}

/** The tracking events whose shape changed, and how their older shapes are read. */
export const trackingUpcasters: Upcasters<TrackingEvent> = {
  ConversionRegistered: upcastConversionRegistered,
  CampaignCreated: upcastCampaignCreated,
};
