import type { Decider } from '../../../shared/decider/decider.js';
import { badInput } from '../../../shared/errors/codes.js';
import { MAX_DESCRIPTION_LENGTH, MAX_NAME_LENGTH } from '../rules/limits.js';
import { validateId } from '../../../shared/domain/id.js';
import { validateOptionalText, validateRequiredText, validateSku } from '../rules/validate.js';
import type { ProductCommand } from './commands.js';
import type { ProductEvent } from './events.js';
import { initialProductState, type ProductState } from './state.js';

/**
 * Decides product commands. SKU uniqueness across products is not visible from one stream; the
 * application layer checks it against the product read model.
 */
export function decideProduct(command: ProductCommand, state: ProductState): ProductEvent[] {
  switch (command.type) {
    case 'RegisterProduct': {
      const productId = validateId(command.productId, 'productId');
      if (state.registered) throw badInput(`product ${productId} is already registered`, 'productId');
      const sku = validateSku(command.sku);
      const name = validateRequiredText(command.name, 'name', MAX_NAME_LENGTH);
      const description = validateOptionalText(command.description, 'description', MAX_DESCRIPTION_LENGTH);
      return [{ type: 'ProductRegistered', data: { productId, sku, name, description } }];
    }
  }
}

/** Folds one product event into the state. */
export function evolveProduct(state: ProductState, event: ProductEvent): ProductState {
  switch (event.type) {
    case 'ProductRegistered':
      return { registered: true, sku: event.data.sku, name: event.data.name };
    default:
      return state;
  }
}

/** The decider of stream `product-<id>`. */
export const productDecider: Decider<ProductCommand, ProductEvent, ProductState> = {
  decide: decideProduct,
  evolve: evolveProduct,
  initialState: initialProductState,
};
