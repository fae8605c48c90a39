/**
 * ESLint-like text: one block per bundle, `line:col  severity  message  code`, a line for each bundle whose warm-up
 * inference was skipped (and why), then a summary line that says on how many bundles the warm-up ran. Names and
 * messages come from the bundle (file names, pickle globals): control characters are printed escaped.
 */
import { escapeControl } from '../escape-text.js';
import type { LintReport } from './lint-types.js';

export function formatStylish(report: LintReport): string {
  const blocks: string[] = [];
  for (const bundle of report.bundles) {
    const skipped =
      bundle.warmUp?.status === 'skipped'
        ? `  warm-up inference skipped on ${bundle.warmUp.backend}: ${bundle.warmUp.reason ?? 'runtime unavailable'}`
        : null;
    if (bundle.problems.length === 0) {
      if (skipped) blocks.push(`${escapeControl(bundle.dir)}\n${skipped}`);
      continue;
    }
    const rows = bundle.problems.map((p) => [
      p.line !== undefined ? `${p.line}:${p.column ?? 1}` : '',
      p.severity,
      escapeControl(`${p.file || '.'}${p.pointer ? `#${p.pointer}` : ''}`),
      escapeControl(p.message.split('\n')[0]),
      escapeControl(p.code),
    ]);
    const widths = [0, 1, 2].map((c) => Math.max(...rows.map((r) => r[c].length)));
    const lines = rows.map(
      (r) => `  ${r[0].padStart(widths[0])}  ${r[1].padEnd(widths[1])}  ${r[2].padEnd(widths[2])}  ${r[3]}  ${r[4]}`,
    );
    blocks.push([escapeControl(bundle.dir), ...lines, ...(skipped ? [skipped] : [])].join('\n'));
  }
  const total = report.errorCount + report.warningCount;
  const summary =
    total === 0
      ? `✓ ${report.bundles.length} bundle${report.bundles.length === 1 ? '' : 's'} checked, no problems`
      : `✖ ${total} problem${total === 1 ? '' : 's'} (${report.errorCount} error${report.errorCount === 1 ? '' : 's'}, ${report.warningCount} warning${report.warningCount === 1 ? '' : 's'}) in ${report.bundles.length} bundle${report.bundles.length === 1 ? '' : 's'}`;
  const ran = report.bundles.filter((b) => b.warmUp?.status === 'ran').length;
  const warm = ran > 0 ? `; the loader's warm-up inference ran on ${ran} of them` : '';
  return [...blocks, summary + warm].join('\n\n') + '\n';
}
