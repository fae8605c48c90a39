/**
 * A dependency-free SVG chart of the benchmark: left, single-call p50/p99 latency per contender; right, per-issue
 * latency against batch size per backend (log scale). Pure: figures in, SVG text out.
 */
import type { BatchPoint } from './predict-bench.js';
import type { LatencyStats } from './stats.js';

const W = 860;
const H = 340;
const COLORS = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd'];
const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;');
const fmt = (v: number) => (v >= 10 ? v.toFixed(0) : v >= 1 ? v.toFixed(1) : v.toFixed(2));

function text(x: number, y: number, s: string, extra = ''): string {
  return `<text x="${x.toFixed(1)}" y="${y.toFixed(1)}" ${extra}>${esc(s)}</text>`;
}

function latencyPanel(latency: Record<string, LatencyStats>, x0: number, y0: number, w: number, h: number): string[] {
  const names = Object.keys(latency);
  const max = Math.max(...names.map((n) => latency[n].p99Ms), 0.001) * 1.15;
  const out = [text(x0, y0 - 12, 'Single predict latency (ms): p50 solid, p99 light', 'font-weight="bold"')];
  const slot = w / Math.max(1, names.length);
  names.forEach((name, i) => {
    const s = latency[name];
    const bx = x0 + i * slot + slot * 0.2;
    const bw = slot * 0.28;
    for (const [k, v, opacity] of [
      [0, s.p50Ms, 1],
      [1, s.p99Ms, 0.4],
    ] as const) {
      const bh = (v / max) * h;
      out.push(
        `<rect x="${(bx + k * bw).toFixed(1)}" y="${(y0 + h - bh).toFixed(1)}" width="${bw.toFixed(1)}" height="${bh.toFixed(1)}" fill="${COLORS[i % COLORS.length]}" fill-opacity="${opacity}"/>`,
      );
      out.push(text(bx + k * bw + bw / 2, y0 + h - bh - 3, fmt(v), 'text-anchor="middle" font-size="10"'));
    }
    out.push(
      text(
        bx + bw,
        y0 + h + 14,
        name.replace('.predict', '').replace('onnx.bare_session_run', 'onnx bare run'),
        'text-anchor="middle" font-size="10"',
      ),
    );
  });
  out.push(`<line x1="${x0}" y1="${y0 + h}" x2="${x0 + w}" y2="${y0 + h}" stroke="#333"/>`);
  return out;
}

function batchPanel(batches: Record<string, BatchPoint[]>, x0: number, y0: number, w: number, h: number): string[] {
  const series = Object.entries(batches).filter(([, pts]) => pts.length > 0);
  const perIssueUs = (p: BatchPoint) => (p.msPerBatch * 1000) / p.batch;
  const all = series.flatMap(([, pts]) => pts.map(perIssueUs));
  const lo = Math.log10(Math.max(1, Math.min(...all, 1e9) / 1.5));
  const hi = Math.log10(Math.max(...all, 10) * 1.5);
  const batchesX = [...new Set(series.flatMap(([, pts]) => pts.map((p) => p.batch)))].sort((a, b) => a - b);
  const px = (b: number) => x0 + (batchesX.indexOf(b) / Math.max(1, batchesX.length - 1)) * w;
  const py = (us: number) => y0 + h - ((Math.log10(us) - lo) / Math.max(1e-9, hi - lo)) * h;
  const out = [text(x0, y0 - 12, 'Per-issue latency (µs, log) vs batch size (predictMany)', 'font-weight="bold"')];
  out.push(
    `<line x1="${x0}" y1="${y0 + h}" x2="${x0 + w}" y2="${y0 + h}" stroke="#333"/>`,
    `<line x1="${x0}" y1="${y0}" x2="${x0}" y2="${y0 + h}" stroke="#333"/>`,
  );
  for (const b of batchesX) out.push(text(px(b), y0 + h + 14, `batch ${b}`, 'text-anchor="middle" font-size="10"'));
  for (let e = Math.ceil(lo); e <= hi; e++)
    out.push(text(x0 - 4, py(10 ** e) + 3, fmt(10 ** e), 'text-anchor="end" font-size="9"'));
  series.forEach(([name, pts], i) => {
    const color = COLORS[i % COLORS.length];
    out.push(
      `<polyline fill="none" stroke="${color}" stroke-width="2" points="${pts.map((p) => `${px(p.batch).toFixed(1)},${py(perIssueUs(p)).toFixed(1)}`).join(' ')}"/>`,
    );
    for (const p of pts)
      out.push(`<circle cx="${px(p.batch).toFixed(1)}" cy="${py(perIssueUs(p)).toFixed(1)}" r="3" fill="${color}"/>`);
    out.push(
      `<rect x="${x0 + w - 120}" y="${y0 + i * 14 - 8}" width="10" height="10" fill="${color}"/>`,
      text(x0 + w - 105, y0 + i * 14 + 1, name, 'font-size="10"'),
    );
  });
  return out;
}

export function renderChart(
  latency: Record<string, LatencyStats>,
  batches: Record<string, BatchPoint[]>,
  caption: string,
): string {
  const body = [...latencyPanel(latency, 40, 50, 360, 230), ...batchPanel(batches, 480, 50, 350, 230)];
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="12">`,
    `<rect width="${W}" height="${H}" fill="white"/>`,
    ...body,
    text(W / 2, H - 8, caption, 'text-anchor="middle" font-size="10" fill="#555"'),
    '</svg>',
    '',
  ].join('\n');
}
