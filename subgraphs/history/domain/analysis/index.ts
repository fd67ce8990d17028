export type { AnalysisFilter, StartAnalysis, RecordAnalysisProgress, CompleteAnalysis, FailAnalysis, AnalysisCommand } from './commands.js';
export type { AnalysisStarted, AnalysisProgressed, AnalysisCompleted, AnalysisFailed, AnalysisEvent, AnalysisCounters } from './events.js';
export { analysisDecider, decideAnalysis, evolveAnalysis, initialAnalysisState, validateFilter, type AnalysisState, type AnalysisStatus } from './decider.js';
