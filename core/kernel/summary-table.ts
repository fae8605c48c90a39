/** The CLI's progress line per issue and the final summary table (plain text, fixed-width columns). */
import type { IssueReport } from './issue-report.js';

const NA_TEXT = 'NA';

export function progressLine(r: IssueReport): string {
  const head = `[${r.index + 1}/${r.total}] ${r.issueId}`;
  const plan = `${r.swarm} c=${fmt(r.candidates)} m=${fmt(r.minutes)} i=${fmt(r.iterations)}`;
  const why = r.fallbackReason ? ` (${r.fallbackReason})` : '';
  const tail = r.skipped ? 'already finished, skipped' : `${r.outcome} ${seconds(r.durationMs)}`;
  return `${head} ${plan} conf=${r.confidence === null ? NA_TEXT : r.confidence.toFixed(2)} ${r.backend}${why} … ${tail}`;
}

export function summaryTable(reports: readonly IssueReport[]): string {
  const header = ['issue', 'swarm', 'budgets c/m/i', 'confidence', 'backend', 'fallback reason', 'outcome'];
  const rows = reports.map((r) => [
    r.issueId,
    r.swarm,
    `${fmt(r.candidates)}/${fmt(r.minutes)}/${fmt(r.iterations)}`,
    r.confidence === null ? '-' : r.confidence.toFixed(3),
    r.backend,
    r.fallbackReason ?? '-',
    r.skipped ? `${r.outcome} (earlier run)` : r.outcome,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
  const line = (cells: readonly string[]): string =>
    cells
      .map((c, i) => c.padEnd(widths[i]))
      .join('  ')
      .trimEnd();
  const counts = countBy(reports.map((r) => r.outcome));
  const total = Object.entries(counts)
    .map(([k, v]) => `${v} ${k}`)
    .join(', ');
  return [
    line(header),
    line(widths.map((w) => '-'.repeat(w))),
    ...rows.map(line),
    '',
    `${reports.length} issues: ${total || 'none'}`,
  ].join('\n');
}

function fmt(n: number | null): string {
  return n === null ? NA_TEXT : String(n);
}

function seconds(ms: number | null): string {
  return ms === null ? '' : `${(ms / 1000).toFixed(1)}s`;
}

function countBy(values: readonly string[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const v of values) out[v] = (out[v] ?? 0) + 1;
  return out;
}
