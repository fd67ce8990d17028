/** Campaigns: the list with their counters, and the selected campaign in detail, live. */
import { useQuery } from '@apollo/client/react';
import { useState } from 'react';
import { ErrorList } from '../ui/errors.js';
import { CounterCells, CounterHeaders } from '../ui/counter-cells.js';
import { CampaignDetail } from './campaign-detail.js';
import { CAMPAIGNS } from './operations.js';

export function CampaignsPage() {
  const { data, error, loading } = useQuery(CAMPAIGNS);
  const [selected, setSelected] = useState<string | undefined>(undefined);
  const campaigns = data?.campaigns.edges.map((edge) => edge.node) ?? [];
  const influencers = data?.influencers.edges.map((edge) => edge.node) ?? [];
  const current = selected ?? campaigns.find((campaign) => campaign.status === 'ACTIVE')?.id ?? campaigns[0]?.id;

  return (
    <section className="page" aria-labelledby="campaigns-title">
      <h2 id="campaigns-title">Campaigns</h2>
      <ErrorList error={error} />
      {loading && !data ? <p className="muted">Loading campaigns…</p> : null}
      {data && campaigns.length === 0 ? (
        <p className="muted">
          No campaigns yet: run <code>npm run seed</code>.
        </p>
      ) : null}
      <table className="table campaigns" data-testid="campaign-list">
        <thead>
          <tr>
            <th>Campaign</th>
            <th>Status</th>
            <th>Product</th>
            <CounterHeaders />
          </tr>
        </thead>
        <tbody>
          {campaigns.map((campaign) => (
            <tr
              key={campaign.id}
              className={campaign.id === current ? 'selected' : undefined}
              onClick={() => setSelected(campaign.id)}
              data-testid={`campaign-row-${campaign.id}`}
            >
              <td>
                <button type="button" className="link" onClick={() => setSelected(campaign.id)}>
                  {campaign.name}
                </button>
              </td>
              <td>
                <span className={`status status-${campaign.status.toLowerCase()}`}>{campaign.status}</span>
              </td>
              <td>{campaign.product?.name ?? '—'}</td>
              <CounterCells counters={campaign.stats} />
            </tr>
          ))}
        </tbody>
      </table>
      {current ? <CampaignDetail key={current} campaignId={current} influencers={influencers} /> : null}
    </section>
  );
}
