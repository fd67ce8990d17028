/** The dashboard shell: navigation between the three pages and the live connection state. */
import { useEffect, useState } from 'react';
import { CampaignsPage } from './campaigns/campaigns-page.js';
import { InventoryPage } from './inventory/inventory-page.js';
import { useConnectionStatus, type ConnectionStatus } from './live/connection-state.js';
import { QualityPage } from './quality/quality-page.js';
import { useHasToken } from './ui/token.js';

const PAGES = [
  { id: 'campaigns', label: 'Campaigns', render: () => <CampaignsPage /> },
  { id: 'inventory', label: 'Inventory', render: () => <InventoryPage /> },
  { id: 'quality', label: 'History & quality', render: () => <QualityPage /> },
] as const;
type PageId = (typeof PAGES)[number]['id'];

const CONNECTION_LABELS: Record<ConnectionStatus, string> = { connecting: 'Connecting…', live: 'Live', reconnecting: 'Reconnecting…' };

/** The page named by the URL's hash (`#inventory`), campaigns by default. */
function pageOfHash(): PageId {
  const id = window.location.hash.slice(1);
  return PAGES.find((page) => page.id === id)?.id ?? 'campaigns';
}

export function App() {
  const [page, setPage] = useState<PageId>(pageOfHash);
  const connection = useConnectionStatus();
  const hasToken = useHasToken();
  useEffect(() => {
    const follow = () => setPage(pageOfHash());
    window.addEventListener('hashchange', follow);
    return () => window.removeEventListener('hashchange', follow);
  }, []);
  const current = PAGES.find((candidate) => candidate.id === page) ?? PAGES[0];

  return (
    <div className="app">
      <header className="top">
        <h1>Tributary</h1>
        <nav aria-label="Pages">
          {PAGES.map((candidate) => (
            <a key={candidate.id} href={`#${candidate.id}`} aria-current={candidate.id === page ? 'page' : undefined}>
              {candidate.label}
            </a>
          ))}
        </nav>
        <span className={`connection ${connection}`} role="status" data-testid="connection" data-status={connection}>
          {CONNECTION_LABELS[connection]}
        </span>
        <span className="muted token-state">{hasToken ? 'development token' : 'read only'}</span>
        <a className="muted" href="/graphql">
          GraphiQL
        </a>
      </header>
      <main>{current.render()}</main>
    </div>
  );
}
