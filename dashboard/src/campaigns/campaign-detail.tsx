/**
 * One campaign, live: its counters, hourly chart, per-influencer breakdown and conversions feed
 * come from one query and are kept current by two resumable subscriptions writing into the cache.
 */
import { useQuery } from '@apollo/client/react';
import { useState } from 'react';
import type { ConversionItem, Influencer } from '../apollo/types.js';
import { useLiveSubscription } from '../live/use-live-subscription.js';
import { ErrorList } from '../ui/errors.js';
import { formatCount, formatMoney, formatRate, formatScore } from '../ui/format.js';
import { CampaignForms } from './campaign-forms.js';
import { ConversionsFeed } from './conversions-feed.js';
import { HourlyChart } from './hourly-chart.js';
import { InfluencerTable } from './influencer-table.js';
import { CAMPAIGN, CAMPAIGN_STATS_LIVE, CONVERSIONS_LIVE } from './operations.js';

const HOUR_MS = 3_600_000;
/** The chart shows the hours of the last two weeks. */
const CHART_HOURS = 14 * 24;

export function CampaignDetail({ campaignId, influencers }: { readonly campaignId: string; readonly influencers: readonly Influencer[] }) {
  // Fixed for the page's life: the query and the subscription must ask for the same buckets.
  const [from] = useState(() => new Date(Math.floor(Date.now() / HOUR_MS) * HOUR_MS - CHART_HOURS * HOUR_MS).toISOString());
  const { data, error } = useQuery(CAMPAIGN, { variables: { id: campaignId, from } });
  const campaign = data?.campaign ?? undefined;
  const [liveConversions, setLiveConversions] = useState<ConversionItem[]>([]);

  const stats = useLiveSubscription(CAMPAIGN_STATS_LIVE, {
    variables: { campaignId, from },
    after: campaign?.stats.position,
    positionOf: (item) => item.campaignStatsUpdated.position,
  });
  const conversions = useLiveSubscription(CONVERSIONS_LIVE, {
    variables: { campaignId },
    after: campaign?.stats.position,
    positionOf: (item) => item.conversionRegistered.position,
    onData: (item) => setLiveConversions((list) => [item.conversionRegistered, ...list]),
  });

  if (!campaign) return <ErrorList error={error} />;
  const counters = campaign.stats;
  return (
    <article className="detail" aria-label={`Campaign ${campaign.name}`} data-testid="campaign-detail">
      <header className="detail-header">
        <h3>{campaign.name}</h3>
        <span className={`status status-${campaign.status.toLowerCase()}`} data-testid="campaign-status">
          {campaign.status}
        </span>
        <span className="muted">{campaign.product ? `${campaign.product.name} · ${formatCount(campaign.product.totalAvailable)} in stock` : 'no product'}</span>
        <span className="muted position" data-testid="stats-position">
          position {stats.position ?? counters.position}
        </span>
      </header>
      <ErrorList error={stats.error ?? conversions.error} />
      <dl className="cards" data-testid="campaign-stats">
        <div className="card">
          <dt>Impressions</dt>
          <dd data-testid="stat-impressions">{formatCount(counters.impressions)}</dd>
        </div>
        <div className="card">
          <dt>Conversions</dt>
          <dd data-testid="stat-conversions">{formatCount(counters.conversions)}</dd>
        </div>
        <div className="card">
          <dt>Conversion rate</dt>
          <dd data-testid="stat-rate">{formatRate(counters.conversionRate)}</dd>
        </div>
        <div className="card">
          <dt>Units sold</dt>
          <dd data-testid="stat-units">{formatCount(counters.unitsSold)}</dd>
        </div>
        <div className="card wide">
          <dt>Revenue</dt>
          <dd data-testid="stat-revenue">{formatMoney(counters.revenue)}</dd>
        </div>
      </dl>
      <div className="columns">
        <section aria-label="Hourly impressions">
          <h4>Impressions per hour</h4>
          <HourlyChart buckets={counters.hourly} />
        </section>
        <section aria-label="Best creative">
          <h4>Best creative</h4>
          {campaign.bestCreative ? (
            <blockquote className="creative" data-testid="best-creative">
              {campaign.bestCreative.content}
              <footer>
                {campaign.bestCreative.model} · score {formatScore(campaign.bestCreative.latestAssessment?.score)}
              </footer>
            </blockquote>
          ) : (
            <p className="muted">No assessed creative yet.</p>
          )}
        </section>
      </div>
      <div className="columns">
        <section aria-label="Influencers">
          <h4>Per influencer</h4>
          <InfluencerTable rows={counters.byInfluencer} />
        </section>
        <section aria-label="Conversions">
          <h4>Conversions</h4>
          <ConversionsFeed live={liveConversions} loaded={campaign.conversions.edges.map((edge) => edge.node)} />
        </section>
      </div>
      <CampaignForms campaignId={campaign.id} influencers={influencers} />
    </article>
  );
}
