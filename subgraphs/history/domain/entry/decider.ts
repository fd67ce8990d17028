import type { ContentAnalyzer, ContentMetrics, QualityAssessor, QualityResult } from '../../analyzers/index.js';
import type { Decider } from '../../../shared/decider/decider.js';
import { HistoryErrorReason, entryDeleted, entryNotFound, historyInputError } from '../rules/errors.js';
import { MAX_REASON_LENGTH } from '../rules/limits.js';
import { validateContent, validateId, validateModel, validateOptionalText, validatePluginName, validatePrompt } from '../rules/validate.js';
import type { EntryCommand, EntrySubject } from './commands.js';
import type { EntryEvent, PluginRef } from './events.js';
import { initialEntryState, type EntryState } from './state.js';

/**
 * The analyzer plugins an entry decider runs at decide time. Their results go into the events, so
 * folding a stream never re-runs an analyzer: the history stays what it was when it was recorded.
 */
export interface EntryPlugins {
  /** Computes the metrics of every new content version. */
  readonly analyzer: ContentAnalyzer;
  /** The assessor of that name, or the configured default for null; undefined when unknown. */
  assessor(name: string | null): QualityAssessor | undefined;
}

const refOf = (plugin: { name: string; version: string }): PluginRef => ({ name: plugin.name, version: plugin.version });

const SUBJECT_TYPES = new Set(['CAMPAIGN', 'PRODUCT']);

function validateSubject(value: EntrySubject | null | undefined): EntrySubject | null {
  if (value === undefined || value === null) return null;
  if (!SUBJECT_TYPES.has(value.type)) {
    throw historyInputError(HistoryErrorReason.INVALID_FIELD, 'subject.type must be CAMPAIGN or PRODUCT', 'subject.type');
  }
  return { type: value.type, id: validateId(value.id, 'subject.id') };
}

function analyze(analyzer: ContentAnalyzer, content: string): ContentMetrics {
  const metrics = analyzer.analyze(content);
  for (const [key, value] of Object.entries(metrics)) {
    if (typeof value !== 'number' || !Number.isFinite(value)) {
      throw new Error(`content analyzer ${analyzer.name} returned a non-finite ${key}`);
    }
  }
  return metrics;
}

function checkResult(assessor: QualityAssessor, result: QualityResult): QualityResult {
  const inRange = (score: number) => typeof score === 'number' && Number.isFinite(score) && score >= 0 && score <= 1;
  if (!inRange(result.score) || !result.dimensions.every((dimension) => inRange(dimension.score))) {
    throw new Error(`quality assessor ${assessor.name} returned a score outside 0..1`);
  }
  return { score: result.score, dimensions: result.dimensions.map((dimension) => ({ name: dimension.name, score: dimension.score })) };
}

function existing(state: EntryState, entryId: string): EntryState {
  if (state.status === 'NEW') throw entryNotFound(entryId, 'id');
  if (state.status === 'DELETED') throw entryDeleted(entryId, 'id');
  return state;
}

/** Decides entry commands with the given plugins (pure as long as the plugins are). */
export function decideEntry(plugins: EntryPlugins, command: EntryCommand, state: EntryState): EntryEvent[] {
  switch (command.type) {
    case 'CreateEntry': {
      const entryId = validateId(command.entryId, 'id');
      if (state.status !== 'NEW') {
        throw historyInputError(HistoryErrorReason.ENTRY_EXISTS, `history entry ${entryId} already exists`, 'id');
      }
      const model = validateModel(command.model);
      const prompt = validatePrompt(command.prompt);
      const content = validateContent(command.content);
      const subject = validateSubject(command.subject);
      return [
        {
          type: 'EntryCreated',
          data: { entryId, version: 1, model, prompt, content, subject, metrics: analyze(plugins.analyzer, content), analyzer: refOf(plugins.analyzer) },
        },
      ];
    }
    case 'UpdateEntry': {
      const current = existing(state, command.entryId);
      const content = validateContent(command.content);
      const prompt = command.prompt === undefined ? current.prompt : validatePrompt(command.prompt);
      return [
        {
          type: 'EntryUpdated',
          data: {
            entryId: current.entryId,
            version: current.version + 1,
            prompt,
            content,
            metrics: analyze(plugins.analyzer, content),
            analyzer: refOf(plugins.analyzer),
          },
        },
      ];
    }
    case 'DeleteEntry': {
      const current = existing(state, command.entryId);
      const reason = validateOptionalText(command.reason, 'reason', MAX_REASON_LENGTH);
      return [{ type: 'EntryDeleted', data: { entryId: current.entryId, model: current.model, version: current.version, reason } }];
    }
    case 'AssessQuality': {
      const current = existing(state, command.entryId);
      const assessmentId = validateId(command.assessmentId, 'assessmentId');
      const name = validatePluginName(command.assessor, 'assessor');
      const assessor = plugins.assessor(name);
      if (!assessor) throw historyInputError(HistoryErrorReason.UNKNOWN_ASSESSOR, `no quality assessor is registered as "${name}"`, 'assessor');
      const jobId = command.jobId == null ? null : validateId(command.jobId, 'jobId');
      const metrics = current.metrics ?? analyze(plugins.analyzer, current.content);
      const result = checkResult(
        assessor,
        assessor.assess({ content: current.content, ...(current.prompt !== null ? { prompt: current.prompt } : {}), metrics }),
      );
      return [
        {
          type: 'QualityAssessed',
          data: {
            assessmentId,
            entryId: current.entryId,
            entryVersion: current.version,
            model: current.model,
            score: result.score,
            dimensions: result.dimensions,
            assessor: refOf(assessor),
            jobId,
          },
        },
      ];
    }
  }
}

/** Folds one entry event into the state. */
export function evolveEntry(state: EntryState, event: EntryEvent): EntryState {
  switch (event.type) {
    case 'EntryCreated':
      return {
        ...state,
        status: 'ACTIVE',
        entryId: event.data.entryId,
        model: event.data.model,
        prompt: event.data.prompt,
        content: event.data.content,
        version: 1,
        metrics: event.data.metrics,
        subject: event.data.subject,
      };
    case 'EntryUpdated':
      return { ...state, prompt: event.data.prompt, content: event.data.content, version: event.data.version, metrics: event.data.metrics };
    case 'EntryDeleted':
      return { ...state, status: 'DELETED' };
    case 'QualityAssessed':
      return { ...state, assessments: state.assessments + 1, latestScore: event.data.score };
    default:
      return state;
  }
}

/** The decider of stream `entry-<id>`, bound to its analyzer plugins. */
export function createEntryDecider(plugins: EntryPlugins): Decider<EntryCommand, EntryEvent, EntryState> {
  return {
    decide: (command, state) => decideEntry(plugins, command, state),
    evolve: evolveEntry,
    initialState: initialEntryState,
  };
}
