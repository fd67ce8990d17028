/**
 * A problem with how the check was invoked (unknown flag, missing file, bad git ref, invalid
 * allow-list), as opposed to a failed check. The bin exits with code 2.
 */
export class SchemaCheckUsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SchemaCheckUsageError';
  }
}
