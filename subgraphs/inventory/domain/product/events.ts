import type { DomainEvent } from '../../../shared/decider/decider.js';

/** A product joined the catalogue. `name` and `description` are trimmed; a blank description is null. */
export type ProductRegistered = DomainEvent<
  'ProductRegistered',
  {
    readonly productId: string;
    readonly sku: string;
    readonly name: string;
    readonly description: string | null;
  }
>;

/** Every event of a product stream. */
export type ProductEvent = ProductRegistered;
