/** What the store decider remembers of its stream. */
export interface StoreState {
  readonly registered: boolean;
  readonly name?: string;
}

/** The state of an empty store stream. */
export const initialStoreState = (): StoreState => ({ registered: false });
