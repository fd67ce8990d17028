/** Inventory: stock per product and store (each level live), low-stock alerts, reservations. */
import { useQuery } from '@apollo/client/react';
import { useEffect, useState } from 'react';
import type { LowStockLevel, StockLevel } from '../apollo/types.js';
import { useLiveSubscription } from '../live/use-live-subscription.js';
import { ErrorList } from '../ui/errors.js';
import { formatCount, formatInstant } from '../ui/format.js';
import { InventoryForms } from './inventory-forms.js';
import { INVENTORY, LOW_STOCK_LIVE, STOCK_LEVEL_LIVE } from './operations.js';

/** One stock level, kept current by its own subscription (the cache updates every view of it). */
function StockCell({ level }: { readonly level: StockLevel }) {
  // The position the page loaded it at, fixed: later positions come through the subscription.
  const [after] = useState(level.position);
  useLiveSubscription(STOCK_LEVEL_LIVE, {
    variables: { productId: level.productId, storeId: level.storeId },
    after,
    positionOf: (item) => item.stockLevelChanged.position,
  });
  return (
    <td className={`number stock${level.isLow ? ' low' : ''}`} data-testid={`stock-${level.id}`} title={`version ${level.version}`}>
      <strong>{formatCount(level.available)}</strong>
      <span className="muted"> / {formatCount(level.total)}</span>
      {level.reserved > 0 ? <span className="muted"> ({formatCount(level.reserved)} reserved)</span> : null}
    </td>
  );
}

/** The greatest position among the levels: alerts are followed from there. */
const latestPosition = (levels: readonly StockLevel[]): string | undefined =>
  levels.reduce<string | undefined>((max, level) => (max === undefined || BigInt(level.position) > BigInt(max) ? level.position : max), undefined);

export function InventoryPage() {
  const { data, error } = useQuery(INVENTORY);
  const [alerts, setAlerts] = useState<LowStockLevel[]>([]);
  const products = data?.products.edges.map((edge) => edge.node) ?? [];
  const stores = data?.stores.edges.map((edge) => edge.node) ?? [];
  const levels = products.flatMap((product) => product.stockLevels);
  // Alerts are followed from the stock the page first loaded.
  const [alertsAfter, setAlertsAfter] = useState<string | undefined>(undefined);
  useEffect(() => {
    if (data && alertsAfter === undefined) setAlertsAfter(latestPosition(data.products.edges.flatMap((edge) => edge.node.stockLevels)) ?? '0');
  }, [data, alertsAfter]);

  useLiveSubscription(LOW_STOCK_LIVE, {
    variables: {},
    after: alertsAfter,
    positionOf: (item) => item.lowStockAlerts.position,
    onData: (item) => setAlerts((list) => [item.lowStockAlerts, ...list.filter((alert) => alert.id !== item.lowStockAlerts.id)]),
  });

  const lowNow = new Map<string, LowStockLevel>();
  for (const level of [...alerts, ...(data?.lowStock.edges.map((edge) => edge.node) ?? [])]) if (!lowNow.has(level.id)) lowNow.set(level.id, level);
  const pending = levels.flatMap((level) => level.reservations.map((reservation) => ({ reservation, level })));
  const productName = new Map(products.map((product) => [product.id, product.name]));

  return (
    <section className="page" aria-labelledby="inventory-title">
      <h2 id="inventory-title">Inventory</h2>
      <ErrorList error={error} />
      <table className="table stock-table" data-testid="stock-table">
        <thead>
          <tr>
            <th>Product</th>
            {stores.map((store) => (
              <th key={store.id} className="number">
                {store.name}
              </th>
            ))}
            <th className="number">Available</th>
          </tr>
        </thead>
        <tbody>
          {products.map((product) => (
            <tr key={product.id}>
              <td>
                {product.name} <span className="muted">{product.sku}</span>
              </td>
              {stores.map((store) => {
                const level = product.stockLevels.find((candidate) => candidate.storeId === store.id);
                return level ? (
                  <StockCell key={store.id} level={level} />
                ) : (
                  <td key={store.id} className="number muted">
                    —
                  </td>
                );
              })}
              <td className="number" data-testid={`total-${product.id}`}>
                {formatCount(product.totalAvailable)}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <div className="columns">
        <section aria-label="Low stock">
          <h4>Low-stock alerts</h4>
          {lowNow.size === 0 ? <p className="muted">No stock level is at or below its threshold.</p> : null}
          <ul className="alerts" data-testid="low-stock">
            {[...lowNow.values()].map((level) => (
              <li key={level.id} className={level.isLow ? 'alert' : 'alert cleared'}>
                {level.product?.name ?? level.productId} at {level.store?.name ?? level.storeId}: {formatCount(level.available)} left (threshold{' '}
                {formatCount(level.lowStockThreshold)})
              </li>
            ))}
          </ul>
        </section>
        <section aria-label="Reservations">
          <h4>Pending reservations</h4>
          {pending.length === 0 ? <p className="muted">No pending reservation.</p> : null}
          <table className="table" data-testid="reservations">
            <tbody>
              {pending.map(({ reservation, level }) => (
                <tr key={reservation.id}>
                  <td>{productName.get(level.productId) ?? level.productId}</td>
                  <td>{level.store?.name ?? level.storeId}</td>
                  <td className="number">×{reservation.quantity}</td>
                  <td>{reservation.customerId}</td>
                  <td className="muted">until {formatInstant(reservation.expiresAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      </div>
      <InventoryForms products={products} stores={stores} />
    </section>
  );
}
