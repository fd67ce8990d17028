/** Registers a new product in the catalogue; decided against stream `product-<productId>`. */
export interface RegisterProduct {
  readonly type: 'RegisterProduct';
  readonly productId: string;
  readonly sku: string;
  readonly name: string;
  readonly description?: string | null;
}

/** Every command the product decider accepts. */
export type ProductCommand = RegisterProduct;
