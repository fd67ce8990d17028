import { toMoney, type Money } from '../../domain/money.js';

/**
 * Conversions per impression, rounded to 6 decimals; 0 when there are no impressions. May exceed 1
 * when conversions were registered without impressions.
 */
export function conversionRate(counters: { readonly impressions: number; readonly conversions: number }): number {
  if (counters.impressions === 0) return 0;
  return Math.round((counters.conversions / counters.impressions) * 1_000_000) / 1_000_000;
}

/** Revenue per currency as canonical money, sorted by currency code. */
export function revenueAsMoney(revenue: Readonly<Record<string, number>>): Money[] {
  return Object.keys(revenue)
    .sort()
    .map((currency) => toMoney({ amountMinor: revenue[currency] ?? 0, currency }));
}
