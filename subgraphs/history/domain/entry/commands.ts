/** What a history entry is about: a tracking campaign or an inventory product. */
export type SubjectType = 'CAMPAIGN' | 'PRODUCT';

export interface EntrySubject {
  readonly type: SubjectType;
  readonly id: string;
}

/** Records a new AI output; decided against stream `entry-<entryId>`. */
export interface CreateEntry {
  readonly type: 'CreateEntry';
  readonly entryId: string;
  readonly model: string;
  readonly prompt?: string | null;
  readonly content: string;
  readonly subject?: EntrySubject | null;
}

/** Replaces the content (and optionally the prompt) with a new version; older versions stay. */
export interface UpdateEntry {
  readonly type: 'UpdateEntry';
  readonly entryId: string;
  readonly content: string;
  /** `undefined` keeps the current prompt; `null` or blank clears it. */
  readonly prompt?: string | null;
}

/** Soft delete: the entry leaves every list but its history stays readable. */
export interface DeleteEntry {
  readonly type: 'DeleteEntry';
  readonly entryId: string;
  readonly reason?: string | null;
}

/** Scores the current version with a quality assessor (the configured one unless named). */
export interface AssessQuality {
  readonly type: 'AssessQuality';
  readonly entryId: string;
  /** Id of the assessment to record (chosen by the caller, usually a UUID). */
  readonly assessmentId: string;
  /** Assessor plugin name; null or absent for the configured default. */
  readonly assessor?: string | null;
  /** The analysis job this assessment belongs to, if any. */
  readonly jobId?: string | null;
}

/** Every command the entry decider accepts. */
export type EntryCommand = CreateEntry | UpdateEntry | DeleteEntry | AssessQuality;
