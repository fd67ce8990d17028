import type { SchemaCheckReport } from './report.js';

/** The report as pretty-printed JSON (exactly the {@link SchemaCheckReport} shape). */
export function formatJsonReport(report: SchemaCheckReport): string {
  return JSON.stringify(report, null, 2);
}
