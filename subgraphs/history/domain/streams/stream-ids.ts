/**
 * Stream names of the history subgraph. Every stream is `<category>-<id>`; the
 * category is everything before the first dash, so ids may contain dashes.
 */

/** Category prefix of history entry streams (content versions, deletion, assessments). */
export const ENTRY_CATEGORY = 'entry';
/** Category prefix of comparison streams. */
export const COMPARISON_CATEGORY = 'comparison';
/** Category prefix of analysis job streams. */
export const ANALYSIS_CATEGORY = 'analysis';

/** The stream of one history entry: `entry-<id>`. */
export const entryStreamId = (entryId: string): string => `${ENTRY_CATEGORY}-${entryId}`;

/** The stream of one comparison: `comparison-<id>`. */
export const comparisonStreamId = (comparisonId: string): string => `${COMPARISON_CATEGORY}-${comparisonId}`;

/** The stream of one analysis job: `analysis-<id>`. */
export const analysisStreamId = (jobId: string): string => `${ANALYSIS_CATEGORY}-${jobId}`;

/** The id part of a stream name (everything after the first dash). */
export const idOfStream = (streamId: string): string => streamId.slice(streamId.indexOf('-') + 1);
