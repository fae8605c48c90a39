/** The report as aligned text tables (`report --format table`). */
import type { PlannerReport } from './report-types.js';
import { reportSections } from './report-sections.js';

export function renderTable(r: PlannerReport): string {
  const out = [
    `cyntra-planner report: ${r.workcells}${r.since ? ` since ${r.since}` : ''} (generated ${r.generated_at})`,
  ];
  for (const s of reportSections(r)) {
    out.push('', `== ${s.title}`);
    if (s.note) out.push(s.note);
    if (s.rows.length === 0) {
      out.push('(none)');
      continue;
    }
    const widths = s.header.map((h, i) => Math.max(h.length, ...s.rows.map((row) => row[i].length)));
    const line = (cells: readonly string[]): string =>
      cells
        .map((c, i) => c.padEnd(widths[i]))
        .join('  ')
        .trimEnd();
    out.push(line(s.header), line(widths.map((w) => '-'.repeat(w))), ...s.rows.map(line));
  }
  return `${out.join('\n')}\n`;
}
