/**
 * The report as one self-contained HTML file: inline CSS and inline SVG charts, no script, no external resource
 * (it opens offline in any browser). The tables are the same sections as `--format table`.
 */
import type { PlannerReport } from './report-types.js';
import { pct, reportSections, type Section } from './report-sections.js';
import { barChart, escapeHtml, lineChart } from './svg-charts.js';

const CSS = `body{font:14px/1.4 system-ui,sans-serif;margin:24px;color:#222;max-width:1200px}
h1{font-size:22px}h2{font-size:17px;margin-top:28px;border-bottom:1px solid #ccc}
table{border-collapse:collapse;margin:8px 0}td,th{border:1px solid #ccc;padding:3px 8px;text-align:left;font-size:13px}
th{background:#f2f2f2}.note{color:#555;font-size:13px}.empty{color:#888}.charts{display:flex;flex-wrap:wrap;gap:16px}
figure{margin:0;border:1px solid #e3e3e3;border-radius:6px;padding:8px}figcaption{font-size:14px;font-weight:600;margin-bottom:4px}.kpi{display:flex;gap:24px}.kpi div{background:#f6f8fb;padding:8px 14px;border-radius:6px}
.kpi b{display:block;font-size:20px}`;

function table(s: Section): string {
  const head = `<tr>${s.header.map((h) => `<th>${escapeHtml(h)}</th>`).join('')}</tr>`;
  const body = s.rows.map((row) => `<tr>${row.map((c) => `<td>${escapeHtml(c)}</td>`).join('')}</tr>`).join('');
  const note = s.note ? `<p class="note">${escapeHtml(s.note)}</p>` : '';
  const id = s.title
    .toLowerCase()
    .replace(/\(.*\)/, '')
    .trim()
    .replace(/[^a-z0-9]+/g, '-');
  return `<h2 id="${id}">${escapeHtml(s.title)}</h2>${note}${s.rows.length === 0 ? '<p class="empty">none</p>' : `<table>${head}${body}</table>`}`;
}

function figure(caption: string, svg: string): string {
  return `<figure><figcaption>${escapeHtml(caption)}</figcaption>${svg}</figure>`;
}

function charts(r: PlannerReport): string {
  const d = r.decisions;
  const rate = (v: number): string => `${Math.round(v * 100)}%`;
  return `<div class="charts">${[
    figure(
      'Fallback rate over time',
      barChart(
        d.over_time.map((b) => ({
          label: timeLabel(b.start, d.over_time),
          value: b.fallback_rate ?? 0,
          text: `${pct(b.fallback_rate)} (${b.decisions})`,
        })),
        { title: 'Fallback rate over time', max: 1, format: rate, color: '#d0884a' },
      ),
    ),
    figure(
      'Decisions by reason',
      barChart(
        d.by_reason.map((s) => ({ label: s.key, value: s.count })),
        { title: 'Decisions by reason', format: (v) => String(Math.round(v)) },
      ),
    ),
    figure(
      'Model confidence distribution',
      barChart(
        r.confidence.histogram.map((b) => ({ label: `${b.lo.toFixed(1)}–${b.hi.toFixed(1)}`, value: b.count })),
        { title: 'Model confidence distribution', format: (v) => String(Math.round(v)), color: '#5aa469' },
      ),
    ),
    figure(
      'Threshold sweep: fallback rate at each confidence threshold',
      lineChart(
        r.confidence.sweep.map((s) => ({ x: s.threshold, y: s.fallback_rate ?? 0 })),
        { title: 'Threshold sweep', xLabel: 'confidence threshold' },
      ),
    ),
    figure(
      'Success rate by source',
      barChart(
        r.outcomes.by_source.map((o) => ({
          label: o.key,
          value: o.success_rate ?? 0,
          text: `${pct(o.success_rate)} of ${o.count}`,
        })),
        { title: 'Success rate by source', max: 1, format: rate, color: '#7b5ad0' },
      ),
    ),
    figure(
      'Inference latency p99 per backend (ms)',
      barChart(
        r.latency.map((l) => ({ label: l.backend, value: l.p99_ms, text: `${l.p99_ms.toFixed(2)} ms` })),
        { title: 'Inference latency p99', format: (v) => v.toFixed(1) },
      ),
    ),
  ].join('')}</div>`;
}

/** Clock time when every bucket starts on the same day, else the date. */
function timeLabel(start: string, buckets: readonly { start: string }[]): string {
  const oneDay = buckets.every((b) => b.start.slice(0, 10) === buckets[0].start.slice(0, 10));
  return oneDay ? start.slice(11, 19) : start.slice(5, 10);
}

export function renderHtml(r: PlannerReport): string {
  const kpi = [
    ['decisions', String(r.decisions.total)],
    ['fallback rate', pct(r.decisions.fallback_rate)],
    ['shadow exact agreement', pct(r.shadow.exact)],
    ['manifests skipped', String(r.manifests.skipped.length)],
  ]
    .map(([k, v]) => `<div>${escapeHtml(k)}<b>${escapeHtml(v)}</b></div>`)
    .join('');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>cyntra-planner report</title>
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<style>${CSS}</style></head><body>
<h1>cyntra-planner rollout report</h1>
<p class="note">${escapeHtml(r.workcells)}${r.since ? ` since ${escapeHtml(r.since)}` : ''}; generated ${escapeHtml(r.generated_at)}</p>
<div class="kpi">${kpi}</div>
${charts(r)}
${reportSections(r).map(table).join('\n')}
</body></html>
`;
}
