import { compareContents, pickWinner, type ContentAnalyzer, type QualityAssessor, type SimilarityCalculator } from '../../analyzers/index.js';
import type { Decider } from '../../../shared/decider/decider.js';
import { HistoryErrorReason, entryDeleted, historyInputError } from '../rules/errors.js';
import { validateContent, validateId, validateVersion } from '../rules/validate.js';
import type { ComparedSide, ComparisonCommand } from './commands.js';
import type { ComparisonEvent } from './events.js';

/** Plugins a comparison runs: metrics, similarities, and the assessor that picks the winner. */
export interface ComparisonPluginSet {
  readonly analyzer: ContentAnalyzer;
  readonly similarity: readonly SimilarityCalculator[];
  readonly assessor: QualityAssessor;
}

/** What the comparison decider remembers: only whether the comparison was recorded. */
export interface ComparisonState {
  readonly recorded: boolean;
}

export const initialComparisonState = (): ComparisonState => ({ recorded: false });

function checkSide(side: ComparedSide, field: 'leftId' | 'rightId'): ComparedSide {
  validateId(side.entryId, field);
  validateVersion(side.version, field === 'leftId' ? 'leftVersion' : 'rightVersion');
  if (side.deleted) throw entryDeleted(side.entryId, field);
  validateContent(side.content, field === 'leftId' ? 'left.content' : 'right.content');
  return side;
}

/**
 * Decides a comparison. An entry version cannot be compared with itself, nor a deleted entry.
 * The winner is the side with the higher quality score by the comparison's assessor (both sides
 * scored by the same assessor, so the verdict is fair and reproducible).
 */
export function decideComparison(plugins: ComparisonPluginSet, command: ComparisonCommand, state: ComparisonState): ComparisonEvent[] {
  const comparisonId = validateId(command.comparisonId, 'id');
  if (state.recorded) throw historyInputError(HistoryErrorReason.COMPARISON_EXISTS, `comparison ${comparisonId} already exists`, 'id');
  if (command.left.entryId === command.right.entryId && command.left.version === command.right.version) {
    throw historyInputError(
      HistoryErrorReason.SELF_COMPARISON,
      `an entry cannot be compared with itself (${command.left.entryId} version ${command.left.version})`,
      'rightId',
    );
  }
  const left = checkSide(command.left, 'leftId');
  const right = checkSide(command.right, 'rightId');
  const measures = compareContents(left.content, right.content, plugins);
  const quality = (side: ComparedSide, metrics: typeof measures.leftMetrics) =>
    plugins.assessor.assess({ content: side.content, ...(side.prompt !== null ? { prompt: side.prompt } : {}), metrics }).score;
  const leftQuality = quality(left, measures.leftMetrics);
  const rightQuality = quality(right, measures.rightMetrics);
  const winner = pickWinner(leftQuality, rightQuality);
  return [
    {
      type: 'ComparisonRecorded',
      data: {
        comparisonId,
        left: { entryId: left.entryId, version: left.version, model: left.model, quality: leftQuality },
        right: { entryId: right.entryId, version: right.version, model: right.model, quality: rightQuality },
        similarity: measures.similarity,
        jaccard: measures.jaccard,
        editDistanceRatio: measures.editDistanceRatio,
        scores: measures.scores,
        leftMetrics: measures.leftMetrics,
        rightMetrics: measures.rightMetrics,
        metricDeltas: measures.metricDeltas,
        winner,
        winnerEntryId: winner === 'LEFT' ? left.entryId : winner === 'RIGHT' ? right.entryId : null,
        analyzer: { name: plugins.analyzer.name, version: plugins.analyzer.version },
        assessor: { name: plugins.assessor.name, version: plugins.assessor.version },
      },
    },
  ];
}

export function evolveComparison(state: ComparisonState, event: ComparisonEvent): ComparisonState {
  return event.type === 'ComparisonRecorded' ? { recorded: true } : state;
}

/** The decider of stream `comparison-<id>`, bound to its plugins. */
export function createComparisonDecider(plugins: ComparisonPluginSet): Decider<ComparisonCommand, ComparisonEvent, ComparisonState> {
  return {
    decide: (command, state) => decideComparison(plugins, command, state),
    evolve: evolveComparison,
    initialState: initialComparisonState,
  };
}
