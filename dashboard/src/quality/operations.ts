/** The history/quality page's operations. */
import { operation } from '../apollo/operations.js';
import type { AnalysisJob, AnalysisProgressLiveData, Entry, QualityAssessedLiveData, QualityData } from '../apollo/types.js';

export const QUALITY = operation<QualityData>('DashboardQuality');
export const ANALYSIS_PROGRESS_LIVE = operation<AnalysisProgressLiveData, { jobId: string; after?: string | null }>('DashboardAnalysisProgress');
export const QUALITY_ASSESSED_LIVE = operation<QualityAssessedLiveData, { after?: string | null }>('DashboardQualityAssessed');
export const CREATE_ENTRY = operation<
  { createEntry: { entry: Entry } },
  { input: { model: string; content: string; prompt?: string; subject?: { type: 'CAMPAIGN' | 'PRODUCT'; id: string } } }
>('DashboardCreateEntry');
export const ASSESS_QUALITY = operation<{ assessQuality: { assessment: { id: string; score: number }; entry: Entry } }, { input: { entryId: string } }>(
  'DashboardAssessQuality',
);
export const START_ANALYSIS = operation<
  { startAnalysis: { job: AnalysisJob } },
  { input: { filter?: { model?: string; subjectType?: 'CAMPAIGN' | 'PRODUCT' } } }
>('DashboardStartAnalysis');
