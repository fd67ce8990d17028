import { validateId as validateSharedId } from '../../../shared/domain/id.js';
import { HistoryErrorReason, historyInputError } from './errors.js';
import { MAX_CONTENT_BYTES, MAX_MODEL_LENGTH, MAX_PLUGIN_NAME_LENGTH, MAX_PROMPT_BYTES } from './limits.js';

const encoder = new TextEncoder();

/** Size of a string in UTF-8 bytes. */
export const utf8Bytes = (text: string): number => encoder.encode(text).length;

// Control characters other than tab, line feed and carriage return.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/;

/**
 * Field validators. Each returns the accepted (possibly normalised) value or throws a
 * BAD_USER_INPUT DomainError with `extensions.field` and `extensions.reason`.
 */

/**
 * The shared id rule (see `shared/domain/id.ts`), its errors with the `reason` every history
 * BAD_USER_INPUT carries.
 */
export const validateId = (value: unknown, field: string): string => validateSharedId(value, field, { reason: HistoryErrorReason.INVALID_FIELD });

/** A model name such as "gpt-4o": trimmed, 1..100 characters, one line. */
export function validateModel(value: unknown, field = 'model'): string {
  const model = typeof value === 'string' ? value.trim() : '';
  if (model.length === 0) throw historyInputError(HistoryErrorReason.INVALID_FIELD, `${field} must not be empty`, field);
  if (model.length > MAX_MODEL_LENGTH) {
    throw historyInputError(HistoryErrorReason.INVALID_FIELD, `${field} must be at most ${MAX_MODEL_LENGTH} characters`, field);
  }
  if (CONTROL.test(model) || /[\r\n]/.test(model)) {
    throw historyInputError(HistoryErrorReason.INVALID_FIELD, `${field} must be a single line without control characters`, field);
  }
  return model;
}

/**
 * The text a model produced: kept exactly as given (not trimmed), but it must contain something
 * besides whitespace and be at most 100 KB in UTF-8.
 */
export function validateContent(value: unknown, field = 'content'): string {
  if (typeof value !== 'string' || value.trim().length === 0) {
    throw historyInputError(HistoryErrorReason.CONTENT_EMPTY, `${field} must not be empty`, field);
  }
  const bytes = utf8Bytes(value);
  if (bytes > MAX_CONTENT_BYTES) {
    throw historyInputError(HistoryErrorReason.CONTENT_TOO_LARGE, `${field} is ${bytes} bytes; the limit is ${MAX_CONTENT_BYTES} bytes (100 KB)`, field);
  }
  return value;
}

/** An optional prompt: absent or blank becomes null; otherwise kept as given, at most 32 KB. */
export function validatePrompt(value: unknown, field = 'prompt'): string | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string') throw historyInputError(HistoryErrorReason.INVALID_FIELD, `${field} must be a string`, field);
  if (value.trim().length === 0) return null;
  const bytes = utf8Bytes(value);
  if (bytes > MAX_PROMPT_BYTES) {
    throw historyInputError(HistoryErrorReason.PROMPT_TOO_LARGE, `${field} is ${bytes} bytes; the limit is ${MAX_PROMPT_BYTES} bytes`, field);
  }
  return value;
}

/** Optional one-line text: trimmed, at most `max` characters; blank becomes null. */
export function validateOptionalText(value: unknown, field: string, max: number): string | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string') throw historyInputError(HistoryErrorReason.INVALID_FIELD, `${field} must be a string`, field);
  const text = value.trim();
  if (text.length > max) throw historyInputError(HistoryErrorReason.INVALID_FIELD, `${field} must be at most ${max} characters`, field);
  return text.length === 0 ? null : text;
}

/** A plugin name given in a command (e.g. an assessor), or null for the configured default. */
export function validatePluginName(value: unknown, field: string): string | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string' || value.trim().length === 0 || value.length > MAX_PLUGIN_NAME_LENGTH) {
    throw historyInputError(HistoryErrorReason.INVALID_FIELD, `${field} must be a plugin name of 1 to ${MAX_PLUGIN_NAME_LENGTH} characters`, field);
  }
  return value.trim();
}

/** A non-negative safe integer. */
export function validateCount(value: unknown, field: string): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    throw historyInputError(HistoryErrorReason.INVALID_FIELD, `${field} must be a non-negative integer`, field);
  }
  return value;
}

/** A positive version number (1-based). */
export function validateVersion(value: unknown, field: string): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1) {
    throw historyInputError(HistoryErrorReason.INVALID_FIELD, `${field} must be a positive integer`, field);
  }
  return value;
}
