/**
 * Inline SVG charts for the HTML report: vertical bars and a line. Pure strings, no script, no external resource,
 * so the report reads offline. Every label is escaped.
 */

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

export interface BarItem {
  readonly label: string;
  readonly value: number;
  /** Text shown above the bar (default: the value). */
  readonly text?: string;
}

const W = 560;
const H = 220;
const PAD = { left: 44, right: 12, top: 18, bottom: 48 };

function frame(body: string, title: string): string {
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img" aria-label="${escapeHtml(title)}"><title>${escapeHtml(title)}</title>${body}</svg>`;
}

function axes(max: number, format: (v: number) => string): string {
  const y0 = H - PAD.bottom;
  const ticks = [0, 0.5, 1].map((f) => {
    const y = y0 - f * (y0 - PAD.top);
    return `<line x1="${PAD.left}" x2="${W - PAD.right}" y1="${y}" y2="${y}" stroke="#ddd"/><text x="${PAD.left - 4}" y="${y + 4}" font-size="10" text-anchor="end">${escapeHtml(format(max * f))}</text>`;
  });
  return ticks.join('');
}

/** Vertical bars, one per item, scaled to `max` (default: the largest value). */
export function barChart(
  items: readonly BarItem[],
  opts: { title: string; max?: number; format?: (v: number) => string; color?: string },
): string {
  if (items.length === 0) return `<p class="empty">no data for: ${escapeHtml(opts.title)}</p>`;
  const format = opts.format ?? ((v: number) => String(Math.round(v * 100) / 100));
  const max = opts.max ?? Math.max(...items.map((i) => i.value), 1e-9);
  const plotW = W - PAD.left - PAD.right;
  const plotH = H - PAD.top - PAD.bottom;
  const step = plotW / items.length;
  const bars = items.map((item, i) => {
    const h = max > 0 ? (Math.max(0, item.value) / max) * plotH : 0;
    const x = PAD.left + i * step + step * 0.15;
    const y = PAD.top + plotH - h;
    const label = item.label.length > 14 ? `${item.label.slice(0, 13)}…` : item.label;
    return (
      `<rect x="${x.toFixed(1)}" y="${y.toFixed(1)}" width="${(step * 0.7).toFixed(1)}" height="${h.toFixed(1)}" fill="${opts.color ?? '#4a7bd0'}"><title>${escapeHtml(`${item.label}: ${item.text ?? format(item.value)}`)}</title></rect>` +
      `<text x="${(x + step * 0.35).toFixed(1)}" y="${(y - 3).toFixed(1)}" font-size="10" text-anchor="middle">${escapeHtml(item.text ?? format(item.value))}</text>` +
      `<text x="${(x + step * 0.35).toFixed(1)}" y="${H - PAD.bottom + 14}" font-size="10" text-anchor="middle">${escapeHtml(label)}</text>`
    );
  });
  return frame(axes(max, format) + bars.join(''), opts.title);
}

/** A polyline over x in [0, 1] and y in [0, max]; `marker` draws a vertical line at that x. */
export function lineChart(
  points: readonly { x: number; y: number }[],
  opts: { title: string; max?: number; marker?: number; xLabel: string; format?: (v: number) => string },
): string {
  if (points.length === 0) return `<p class="empty">no data for: ${escapeHtml(opts.title)}</p>`;
  const format = opts.format ?? ((v: number) => `${Math.round(v * 100)}%`);
  const max = opts.max ?? 1;
  const plotW = W - PAD.left - PAD.right;
  const plotH = H - PAD.top - PAD.bottom;
  const px = (x: number): number => PAD.left + x * plotW;
  const py = (y: number): number => PAD.top + plotH - (Math.min(y, max) / max) * plotH;
  const path = points.map((p) => `${px(p.x).toFixed(1)},${py(p.y).toFixed(1)}`).join(' ');
  const dots = points.map(
    (p) =>
      `<circle cx="${px(p.x).toFixed(1)}" cy="${py(p.y).toFixed(1)}" r="2.5" fill="#c0392b"><title>${escapeHtml(`${opts.xLabel} ${p.x.toFixed(2)}: ${format(p.y)}`)}</title></circle>`,
  );
  const xTicks = [0, 0.25, 0.5, 0.75, 1].map(
    (x) => `<text x="${px(x)}" y="${H - PAD.bottom + 14}" font-size="10" text-anchor="middle">${x}</text>`,
  );
  const marker =
    opts.marker === undefined
      ? ''
      : `<line x1="${px(opts.marker)}" x2="${px(opts.marker)}" y1="${PAD.top}" y2="${PAD.top + plotH}" stroke="#888" stroke-dasharray="4 3"/>`;
  const xLabel = `<text x="${PAD.left + plotW / 2}" y="${H - 10}" font-size="11" text-anchor="middle">${escapeHtml(opts.xLabel)}</text>`;
  return frame(
    axes(max, format) +
      marker +
      `<polyline points="${path}" fill="none" stroke="#c0392b" stroke-width="2"/>` +
      dots.join('') +
      xTicks.join('') +
      xLabel,
    opts.title,
  );
}
