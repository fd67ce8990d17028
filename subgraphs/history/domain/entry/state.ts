import type { ContentMetrics } from '../../analyzers/index.js';
import type { EntrySubject } from './commands.js';

/** What the entry decider remembers of its stream. */
export interface EntryState {
  readonly status: 'NEW' | 'ACTIVE' | 'DELETED';
  readonly entryId: string;
  readonly model: string;
  readonly prompt: string | null;
  readonly content: string;
  /** Content version (1 after creation, +1 per update); 0 before creation. */
  readonly version: number;
  readonly metrics: ContentMetrics | null;
  readonly subject: EntrySubject | null;
  readonly assessments: number;
  readonly latestScore: number | null;
}

/** The state of an empty entry stream. */
export const initialEntryState = (): EntryState => ({
  status: 'NEW',
  entryId: '',
  model: '',
  prompt: null,
  content: '',
  version: 0,
  metrics: null,
  subject: null,
  assessments: 0,
  latestScore: null,
});
