/** History and quality: quality per model over time, creatives with their scores, analysis jobs. */
import { useQuery } from '@apollo/client/react';
import { useEffect, useRef, useState } from 'react';
import type { Entry } from '../apollo/types.js';
import { useLiveSubscription } from '../live/use-live-subscription.js';
import { ErrorList } from '../ui/errors.js';
import { formatCount, formatScore } from '../ui/format.js';
import { AnalysisJobProgress } from './analysis-job-progress.js';
import { QUALITY, QUALITY_ASSESSED_LIVE } from './operations.js';
import { QualityForms } from './quality-forms.js';
import { QualityTrendChart } from './quality-trend-chart.js';

/** Analytics are read again at most this often while assessments stream in. */
const ANALYTICS_REFRESH_MS = 1000;

/** The greatest assessment position among the entries ('0' when none is assessed). */
function latestAssessmentPosition(entries: readonly Entry[]): string {
  let latest = 0n;
  for (const entry of entries) if (entry.latestAssessment && BigInt(entry.latestAssessment.position) > latest) latest = BigInt(entry.latestAssessment.position);
  return latest.toString();
}

export function QualityPage() {
  const { data, error, refetch } = useQuery(QUALITY);
  const entries = data?.entries.edges.map((edge) => edge.node) ?? [];
  const jobs = data?.analysisJobs.edges.map((edge) => edge.node) ?? [];
  const [assessedAfter, setAssessedAfter] = useState<string | undefined>(undefined);
  useEffect(() => {
    if (data && assessedAfter === undefined) setAssessedAfter(latestAssessmentPosition(data.entries.edges.map((edge) => edge.node)));
  }, [data, assessedAfter]);

  // Each assessment updates its entry through the cache; the per-model aggregates are read again.
  const refresh = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  useEffect(() => () => clearTimeout(refresh.current), []);
  useLiveSubscription(QUALITY_ASSESSED_LIVE, {
    variables: {},
    after: assessedAfter,
    positionOf: (item) => item.qualityAssessed.position,
    onData: () => {
      refresh.current ??= setTimeout(() => {
        refresh.current = undefined;
        void refetch();
      }, ANALYTICS_REFRESH_MS);
    },
  });

  return (
    <section className="page" aria-labelledby="quality-title">
      <h2 id="quality-title">History and quality</h2>
      <ErrorList error={error} />
      <div className="columns">
        <section aria-label="Quality trend">
          <h4>Mean quality per model and day</h4>
          <QualityTrendChart analytics={data?.allModelAnalytics ?? []} />
        </section>
        <section aria-label="Models">
          <h4>Models</h4>
          <table className="table" data-testid="model-table">
            <thead>
              <tr>
                <th>Model</th>
                <th className="number">Entries</th>
                <th className="number">Assessed</th>
                <th className="number">Mean</th>
                <th className="number">p50</th>
                <th className="number">p90</th>
              </tr>
            </thead>
            <tbody>
              {(data?.allModelAnalytics ?? []).map((model) => (
                <tr key={model.id}>
                  <td>{model.model}</td>
                  <td className="number">{formatCount(model.entries)}</td>
                  <td className="number">{formatCount(model.assessedEntries)}</td>
                  <td className="number">{formatScore(model.meanQuality)}</td>
                  <td className="number">{formatScore(model.p50Quality)}</td>
                  <td className="number">{formatScore(model.p90Quality)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      </div>
      <section aria-label="Analysis jobs">
        <h4>Analysis jobs</h4>
        {jobs.length === 0 ? <p className="muted">No analysis job yet.</p> : null}
        {jobs.map((job) => (
          <AnalysisJobProgress key={job.id} job={job} />
        ))}
      </section>
      <section aria-label="Creatives">
        <h4>Creatives and descriptions</h4>
        <table className="table" data-testid="entries-table">
          <thead>
            <tr>
              <th>Subject</th>
              <th>Model</th>
              <th className="number">Version</th>
              <th className="number">Score</th>
              <th>Content</th>
            </tr>
          </thead>
          <tbody>
            {entries.map((entry) => (
              <tr key={entry.id} data-testid={`entry-${entry.id}`}>
                <td>{entry.campaign?.name ?? entry.product?.name ?? '—'}</td>
                <td>{entry.model}</td>
                <td className="number">{entry.latestVersion}</td>
                <td className="number" data-testid="entry-score">
                  {formatScore(entry.latestAssessment?.score)}
                </td>
                <td className="content">{entry.content}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      <QualityForms entries={entries} />
    </section>
  );
}
