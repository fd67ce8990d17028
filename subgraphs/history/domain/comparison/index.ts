export type { ComparedSide, CompareEntries, ComparisonCommand } from './commands.js';
export type { ComparisonRecorded, ComparisonEvent, RecordedSide } from './events.js';
export {
  createComparisonDecider,
  decideComparison,
  evolveComparison,
  initialComparisonState,
  type ComparisonPluginSet,
  type ComparisonState,
} from './decider.js';
