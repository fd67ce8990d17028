/** Registers a new store; decided against stream `store-<storeId>`. */
export interface RegisterStore {
  readonly type: 'RegisterStore';
  readonly storeId: string;
  readonly name: string;
  readonly location?: string | null;
}

/** Every command the store decider accepts. */
export type StoreCommand = RegisterStore;
