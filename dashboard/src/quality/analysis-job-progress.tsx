/** One analysis job with a progress bar, following its progress live until it finishes. */
import type { AnalysisJob } from '../apollo/types.js';
import { useLiveSubscription } from '../live/use-live-subscription.js';
import { ErrorList } from '../ui/errors.js';
import { formatCount } from '../ui/format.js';
import { ANALYSIS_PROGRESS_LIVE } from './operations.js';

export function AnalysisJobProgress({ job }: { readonly job: AnalysisJob }) {
  // Progress items carry the job: the cache updates this job wherever it is shown.
  const live = useLiveSubscription(ANALYSIS_PROGRESS_LIVE, {
    variables: { jobId: job.id },
    after: job.position,
    positionOf: (item) => item.analysisProgress.position,
    skip: job.status !== 'RUNNING',
  });
  const percent = Math.round(job.progress * 100);
  return (
    <div className="job" data-testid={`job-${job.id}`}>
      <div className="job-line">
        <span>{job.id}</span>
        <span className={`status status-${job.status.toLowerCase()}`}>{job.status}</span>
        <span className="muted">
          {formatCount(job.processed)} / {formatCount(job.total)} entries · {formatCount(job.assessed)} assessed
          {job.skipped > 0 ? ` · ${formatCount(job.skipped)} skipped` : ''}
        </span>
      </div>
      <div className="progress" role="progressbar" aria-valuemin={0} aria-valuemax={100} aria-valuenow={percent} aria-label={`Analysis ${job.id}`}>
        <div className="progress-bar" style={{ width: `${percent}%` }} />
      </div>
      <ErrorList error={live.error} />
    </div>
  );
}
