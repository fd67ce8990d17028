export type { CreateEntry, UpdateEntry, DeleteEntry, AssessQuality, EntryCommand, EntrySubject, SubjectType } from './commands.js';
export type { EntryCreated, EntryUpdated, EntryDeleted, QualityAssessed, EntryEvent, PluginRef } from './events.js';
export { ENTRY_EVENT_TYPES } from './events.js';
export { initialEntryState, type EntryState } from './state.js';
export { createEntryDecider, decideEntry, evolveEntry, type EntryPlugins } from './decider.js';
