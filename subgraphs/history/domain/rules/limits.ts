/** Length and size limits shared by the history deciders. */

/** Largest accepted content, in UTF-8 bytes (100 KB). */
export const MAX_CONTENT_BYTES = 100 * 1024;
/** Largest accepted prompt, in UTF-8 bytes (32 KB). */
export const MAX_PROMPT_BYTES = 32 * 1024;
/** Longest accepted id (entry, comparison, job, subject): the shared id rule's. */
export { MAX_ID_LENGTH } from '../../../shared/domain/id.js';
/** Longest accepted model name (after trimming), e.g. "gpt-4o". */
export const MAX_MODEL_LENGTH = 100;
/** Longest accepted deletion reason (after trimming). */
export const MAX_REASON_LENGTH = 500;
/** Longest accepted plugin name in a command (assessor). */
export const MAX_PLUGIN_NAME_LENGTH = 100;
