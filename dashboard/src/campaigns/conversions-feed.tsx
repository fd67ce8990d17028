/**
 * Conversions, newest first: those the query loaded and those streamed since. A conversion is
 * shown once whatever path brought it (a resumed stream may deliver one the query also had).
 */
import type { ConversionItem } from '../apollo/types.js';
import { formatInstant, formatMoney } from '../ui/format.js';

const SHOWN = 20;

export function ConversionsFeed({ live, loaded }: { readonly live: readonly ConversionItem[]; readonly loaded: readonly ConversionItem[] }) {
  const seen = new Set<string>();
  const items = [...live, ...loaded]
    .filter((item) => !seen.has(item.id) && Boolean(seen.add(item.id)))
    .sort((a, b) => b.occurredAt.localeCompare(a.occurredAt) || Number(b.position) - Number(a.position));
  if (items.length === 0) return <p className="muted">No conversions yet.</p>;
  return (
    <ol className="feed" data-testid="conversions-feed">
      {items.slice(0, SHOWN).map((item) => (
        <li key={item.id} data-testid="conversion-row" data-id={item.id}>
          <span className="feed-value">{formatMoney([item.value])}</span>
          <span>
            {item.influencer.handle}
            {item.store ? ` · ${item.store.name}` : ''}
            {item.quantity ? ` · ×${item.quantity}` : ''}
          </span>
          <time className="muted" dateTime={item.occurredAt}>
            {formatInstant(item.occurredAt)}
          </time>
        </li>
      ))}
    </ol>
  );
}
