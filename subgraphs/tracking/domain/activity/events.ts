import type { DomainEvent } from '../../../shared/decider/decider.js';
import type { Money } from '../money.js';

/** An impression was accepted. `occurredAt` is a UTC ISO string. */
export type ImpressionRegistered = DomainEvent<
  'ImpressionRegistered',
  {
    readonly impressionId: string;
    readonly campaignId: string;
    readonly influencerId: string;
    readonly occurredAt: string;
  }
>;

/**
 * A conversion was accepted. `value` is canonical money (the currency's ISO 4217 minor-unit
 * digits) and `valueMinor` the same amount in integer minor units; absent optional fields are null.
 * Schema version 2: conversions recorded before it counted every currency in hundredths (see
 * upcasters.ts).
 */
export type ConversionRegistered = DomainEvent<
  'ConversionRegistered',
  {
    readonly schemaVersion: 2;
    readonly conversionId: string;
    readonly campaignId: string;
    readonly influencerId: string;
    readonly value: Money;
    readonly valueMinor: number;
    readonly impressionId: string | null;
    readonly productId: string | null;
    readonly storeId: string | null;
    readonly quantity: number | null;
    readonly occurredAt: string;
  }
>;

/** Every high-volume activity event. */
export type ActivityEvent = ImpressionRegistered | ConversionRegistered;
