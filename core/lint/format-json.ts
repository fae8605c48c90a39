/** The report as JSON: `{errorCount, warningCount, bundles: [{dir, backend, digest, problems, …}]}`. */
import type { LintReport } from './lint-types.js';

export function formatJson(report: LintReport): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}
