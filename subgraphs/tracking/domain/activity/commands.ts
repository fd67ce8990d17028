import type { Money } from '../money.js';

/**
 * Records that an influencer's content was shown once. `impressionId` is the client's id, which
 * makes registration idempotent; it is decided against the state of campaign `campaignId`.
 */
export interface RegisterImpression {
  readonly type: 'RegisterImpression';
  readonly campaignId: string;
  /** Client id, 1..100 characters. */
  readonly impressionId: string;
  readonly influencerId: string;
  /** When the impression happened (ISO-8601). */
  readonly occurredAt: string;
  /** When the service received it (ISO-8601). */
  readonly now: string;
}

/** One impression of a batch: a {@link RegisterImpression} with or without its `type` tag. */
export type ImpressionInput = Omit<RegisterImpression, 'type'>;

/** Records a sale (or other conversion) attributed to an influencer within a campaign. */
export interface RegisterConversion {
  readonly type: 'RegisterConversion';
  readonly campaignId: string;
  /** Client id, 1..100 characters. */
  readonly conversionId: string;
  readonly influencerId: string;
  /** Value of the conversion; amount ≥ 0 with at most two fraction digits. */
  readonly value: Money;
  /** The impression that led to it; must belong to the same campaign and influencer. */
  readonly impressionId?: string | null;
  readonly productId?: string | null;
  readonly storeId?: string | null;
  /** Units sold; a positive integer when given. */
  readonly quantity?: number | null;
  readonly occurredAt: string;
  readonly now: string;
}

/** A {@link RegisterConversion} with or without its `type` tag. */
export type ConversionInput = Omit<RegisterConversion, 'type'>;

/** Every activity command. */
export type ActivityCommand = RegisterImpression | RegisterConversion;
