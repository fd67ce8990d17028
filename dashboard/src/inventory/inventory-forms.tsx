/** Stock commands: add stock, reserve stock. */
import { useMutation } from '@apollo/client/react';
import type { ProductStock } from '../apollo/types.js';
import { Choice, CommandForm, Field, text } from '../ui/command-form.js';
import { formatCount } from '../ui/format.js';
import { ADD_STOCK, RESERVE_STOCK } from './operations.js';

interface Props {
  readonly products: readonly ProductStock[];
  readonly stores: ReadonlyArray<{ readonly id: string; readonly name: string }>;
}

export function InventoryForms({ products, stores }: Props) {
  const [addStock] = useMutation(ADD_STOCK);
  const [reserveStock] = useMutation(RESERVE_STOCK);
  const productChoices = products.map((product) => ({ value: product.id, label: product.name }));
  const storeChoices = stores.map((store) => ({ value: store.id, label: store.name }));
  const key = (form: FormData) => ({ productId: text(form, 'productId'), storeId: text(form, 'storeId'), quantity: Number(text(form, 'quantity')) });

  return (
    <div className="forms">
      <CommandForm
        name="add-stock"
        title="Add stock"
        action="Add"
        onSubmit={async (form) => {
          const { data } = await addStock({ variables: { input: key(form) } });
          const level = data?.addStock.stockLevel;
          return level ? `Now ${formatCount(level.available)} available of ${formatCount(level.total)}.` : 'Sent.';
        }}
      >
        <Choice label="Product" name="productId" options={productChoices} />
        <Choice label="Store" name="storeId" options={storeChoices} />
        <Field label="Quantity" name="quantity" type="number" min={1} defaultValue={10} />
      </CommandForm>
      <CommandForm
        name="reserve-stock"
        title="Reserve stock"
        action="Reserve"
        onSubmit={async (form) => {
          const ttl = Number(text(form, 'ttlSeconds'));
          const { data } = await reserveStock({
            variables: { input: { ...key(form), customerId: text(form, 'customerId'), ...(ttl > 0 ? { ttlSeconds: ttl } : {}) } },
          });
          const reservation = data?.reserveStock.reservation;
          return reservation ? `Reservation ${reservation.id} ${reservation.status}.` : 'Sent.';
        }}
      >
        <Choice label="Product" name="productId" options={productChoices} />
        <Choice label="Store" name="storeId" options={storeChoices} />
        <Field label="Quantity" name="quantity" type="number" min={1} defaultValue={1} />
        <Field label="Customer" name="customerId" defaultValue="walk-in" />
        <Field label="Expires after (s)" name="ttlSeconds" type="number" min={1} defaultValue={900} />
      </CommandForm>
    </div>
  );
}
