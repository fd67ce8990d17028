/** A fresh client-chosen id for a command (impressions and conversions are idempotent by it). */
export const clientId = (prefix: string): string => `${prefix}-${crypto.randomUUID()}`;
