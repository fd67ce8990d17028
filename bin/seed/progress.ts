/** How the seed reports its progress: one phase after another, each with a known amount of work. */
export interface SeedProgress {
  /** Starts a phase of `total` steps; `label` says what a step is. */
  phase(name: string, total: number, label: string): SeedPhase;
}

/** One phase under way. */
export interface SeedPhase {
  /** `count` more steps are done; `detail` says what is being worked on. */
  advance(count: number, detail?: string): void;
  /** The phase is over (whatever steps were skipped). */
  finish(): void;
}

/** Progress nobody watches (tests, library use). */
export const silentProgress: SeedProgress = {
  phase: () => ({ advance: () => undefined, finish: () => undefined }),
};
