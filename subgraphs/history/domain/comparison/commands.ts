/** One side of a comparison: a content version of an entry, as loaded from its stream. */
export interface ComparedSide {
  readonly entryId: string;
  /** Content version compared. */
  readonly version: number;
  readonly model: string;
  readonly prompt: string | null;
  readonly content: string;
  /** Whether the entry is soft-deleted (comparing it is refused). */
  readonly deleted: boolean;
}

/** Compares two entry versions; decided against stream `comparison-<comparisonId>`. */
export interface CompareEntries {
  readonly type: 'CompareEntries';
  readonly comparisonId: string;
  readonly left: ComparedSide;
  readonly right: ComparedSide;
}

export type ComparisonCommand = CompareEntries;
