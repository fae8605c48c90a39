/**
 * `npm run bench`: runs every benchmark that is built (encode, onnx, tfjs helpers' benches, the per-stage breakdown
 * of batched planning, then predict-bench),
 * prints a progress line per stage on stderr and the figures with PASS/MISS against the spec's budgets and our
 * goals on stdout, writes `.cyntra/bench/bench-results.json` and regenerates `docs/performance.svg`.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { packageRoot } from '../core/paths.js';
import { renderChart } from './chart.js';
import { benchPredict, type PredictBenchResult } from './predict-bench.js';
import { round } from './stats.js';

const progress = (line: string) => process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${line}\n`);

type External = Record<string, unknown> | string;

/** Runs another helper's bench if its module is built; "not available" otherwise. */
async function external(module: string, fn: string, opts?: unknown): Promise<External> {
  progress(`${module}: ${fn}()`);
  let mod: Record<string, unknown>;
  try {
    mod = (await import(module)) as Record<string, unknown>;
  } catch {
    return 'not available';
  }
  if (typeof mod[fn] !== 'function') return 'not available';
  try {
    return (await (mod[fn] as (o?: unknown) => Promise<Record<string, unknown>>)(opts)) ?? {};
  } catch (e) {
    return `failed: ${e instanceof Error ? e.message : String(e)}`;
  }
}

interface Check {
  readonly label: string;
  readonly value: number | undefined;
  readonly limit: number;
  readonly unit: string;
}

function checks(r: PredictBenchResult): { spec: Check[]; goals: Check[] } {
  const e2e = r.latency['onnx.predict'];
  const bare = r.latency['onnx.bare_session_run'];
  const load = (b: string) => r.loads.find((l) => l.backend === b);
  const perBackend = (label: string, key: 'loadMs' | 'rssMb', limit: number, unit: string) =>
    ['onnx', 'tfjs'].map((b) => ({ label: `${label} (${b})`, value: load(b)?.[key], limit, unit }));
  return {
    spec: [
      { label: 'predict p99 latency (onnx, end to end)', value: e2e?.p99Ms, limit: 100, unit: 'ms' },
      {
        label: 'predict p99 latency (tfjs, end to end)',
        value: r.latency['tfjs.predict']?.p99Ms,
        limit: 100,
        unit: 'ms',
      },
      ...perBackend('model load', 'loadMs', 5000, 'ms'),
      ...perBackend('RSS after load', 'rssMb', 500, 'MB'),
    ],
    goals: [
      {
        label: 'end-to-end p50 / bare session.run p50',
        value: e2e && bare ? e2e.p50Ms / bare.p50Ms : undefined,
        limit: 1.3,
        unit: '×',
      },
      { label: 'end-to-end p99 (onnx)', value: e2e?.p99Ms, limit: 2, unit: 'ms' },
      ...perBackend('model load', 'loadMs', 300, 'ms'),
      ...perBackend('RSS after load', 'rssMb', 200, 'MB'),
    ],
  };
}

function line(c: Check): string {
  const verdict = c.value === undefined || Number.isNaN(c.value) ? 'N/A ' : c.value < c.limit ? 'PASS' : 'MISS';
  const value = c.value === undefined ? 'n/a' : `${round(c.value, 3)} ${c.unit}`;
  return `  ${verdict}  ${c.label.padEnd(44)} ${value.padStart(14)}   (< ${c.limit} ${c.unit})`;
}

function ratios(r: PredictBenchResult): Record<string, number> {
  const l = r.latency;
  const out: Record<string, number> = {};
  const bare = l['onnx.bare_session_run'];
  const e2e = l['onnx.predict'];
  if (bare && e2e)
    Object.assign(out, {
      'onnx predict p50 / bare run p50': e2e.p50Ms / bare.p50Ms,
      'onnx predict p99 / bare run p99': e2e.p99Ms / bare.p99Ms,
    });
  for (const [key, label] of [
    ['onnx.predict_worker', 'worker callerSpin 0'],
    ['onnx.predict_worker_spin', 'worker+callerSpin'],
  ]) {
    const worker = l[key];
    if (bare && worker)
      Object.assign(out, {
        [`onnx ${label} predict p50 / bare run p50`]: worker.p50Ms / bare.p50Ms,
        [`onnx ${label} predict p99 / bare run p99`]: worker.p99Ms / bare.p99Ms,
      });
  }
  for (const batch of [64, 256]) {
    const at = (k: string) => r.batches[k]?.find((p) => p.batch === batch)?.issuesPerSec;
    const b = at('onnx.bare');
    for (const k of ['onnx', 'onnx_worker', 'onnx_worker_spin'])
      if (b && at(k)) out[`${k} predictMany b${batch} / bare run b${batch}`] = (at(k) as number) / b;
  }
  if (e2e && l['tfjs.predict'])
    Object.assign(out, { 'tfjs predict p50 / onnx predict p50': l['tfjs.predict'].p50Ms / e2e.p50Ms });
  if (e2e && l['onnx.predict_process']) {
    Object.assign(out, {
      'process predict p50 / in-process p50': l['onnx.predict_process'].p50Ms / e2e.p50Ms,
      'process isolation overhead p50 (ms)': l['onnx.predict_process'].p50Ms - e2e.p50Ms,
    });
  }
  return Object.fromEntries(Object.entries(out).map(([k, v]) => [k, round(v, 3)]));
}

function table(r: PredictBenchResult): string[] {
  const out = [
    '',
    'Ratios (same run):',
    ...Object.entries(ratios(r)).map(([k, v]) => `  ${k.padEnd(44)} ${v}`),
    '',
    'Single predict latency (ms):',
    '  contender                       p50      p90      p99     mean      n',
  ];
  for (const [k, s] of Object.entries(r.latency))
    out.push(
      `  ${k.padEnd(26)} ${[s.p50Ms, s.p90Ms, s.p99Ms, s.meanMs].map((v) => round(v, 3).toString().padStart(8)).join(' ')} ${String(s.n).padStart(6)}`,
    );
  out.push('', 'Batch throughput (predictMany, issues/s):');
  for (const [k, pts] of Object.entries(r.batches))
    out.push(`  ${k.padEnd(22)} ${pts.map((p) => `b${p.batch}: ${Math.round(p.issuesPerSec)}`).join('   ')}`);
  out.push('', 'Load (fresh process per backend):');
  for (const l of r.loads)
    out.push(
      `  ${l.backend.padEnd(6)} ${l.error ? `error: ${l.error}` : `load ${round(l.loadMs ?? NaN, 1)} ms, RSS after load ${round(l.rssMb ?? NaN, 1)} MB`}`,
    );
  const c = checks(r);
  out.push('', 'Spec budgets (floor):', ...c.spec.map(line), '', 'Our goals:', ...c.goals.map(line));
  if (r.notes.length > 0) out.push('', 'Notes:', ...r.notes.map((n) => `  - ${n}`));
  return out;
}

async function main(): Promise<void> {
  const started = new Date().toISOString();
  const encode = await external('./encode-bench.js', 'benchEncode');
  const onnx = await external('./onnx-bench.js', 'benchOnnx', { progress });
  const tfjs = await external('./tfjs-bench.js', 'benchTfjs', { progress });
  const stages = await external('./stage-breakdown.js', 'benchStages', { batch: 64 });
  const predict = await benchPredict({ progress });
  const results = {
    started,
    node: process.version,
    cpus: cpus().length,
    cpu: cpus()[0]?.model ?? 'unknown',
    ratios: ratios(predict),
    predict,
    stages,
    encode,
    onnx,
    tfjs,
  };
  const root = packageRoot();
  mkdirSync(join(root, '.cyntra', 'bench'), { recursive: true });
  writeFileSync(join(root, '.cyntra', 'bench', 'bench-results.json'), JSON.stringify(results, null, 2) + '\n');
  writeFileSync(
    join(root, 'docs', 'performance.svg'),
    renderChart(
      predict.latency,
      predict.batches,
      `${started.slice(0, 16)}Z · node ${process.version} · ${cpus().length} × ${results.cpu}`,
    ),
  );
  progress('wrote .cyntra/bench/bench-results.json and docs/performance.svg');
  process.stdout.write(
    [
      ...table(predict),
      '',
      `stages (batch 64, µs per item; predictMany / bare session.run throughput): ${JSON.stringify(stages)}`,
      '',
      `encode: ${JSON.stringify(encode)}`,
      `onnx-bench: ${JSON.stringify(onnx)}`,
      `tfjs-bench: ${JSON.stringify(tfjs)}`,
      '',
    ].join('\n'),
  );
}

main().catch((e: unknown) => {
  process.stderr.write(`bench failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exitCode = 1;
});
