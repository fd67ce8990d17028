/** What the product decider remembers of its stream. */
export interface ProductState {
  readonly registered: boolean;
  readonly sku?: string;
  readonly name?: string;
}

/** The state of an empty product stream. */
export const initialProductState = (): ProductState => ({ registered: false });
