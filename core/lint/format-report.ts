/** Output formats of `cyntra-planner lint`. */
import { formatJson } from './format-json.js';
import { formatSarif } from './format-sarif.js';
import { formatStylish } from './format-stylish.js';
import type { LintReport } from './lint-types.js';

export const LINT_FORMATS = ['stylish', 'json', 'sarif'] as const;
export type LintFormat = (typeof LINT_FORMATS)[number];

export function isLintFormat(value: string): value is LintFormat {
  return (LINT_FORMATS as readonly string[]).includes(value);
}

export function formatReport(report: LintReport, format: LintFormat, cwd?: string): string {
  if (format === 'json') return formatJson(report);
  if (format === 'sarif') return formatSarif(report, cwd);
  return formatStylish(report);
}
