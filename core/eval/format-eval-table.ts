/** The readable form of `eval`'s two reports: aligned tables, one section per question. */
import type { BootstrapInterval } from './bootstrap.js';
import type { OutcomeMetrics } from './outcome-metrics.js';
import type { PredictionMetrics } from './prediction-metrics.js';
import type { Reliability } from './reliability.js';
import type { SweepPoint, ThresholdRecommendation } from './threshold-sweep.js';

type Row = readonly string[];
type Obj = Record<string, unknown>;

export function table(header: Row, rows: readonly Row[]): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (r: Row): string =>
    r
      .map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i])))
      .join('  ')
      .trimEnd();
  return [line(header), ...rows.map(line)];
}

export function fmt(value: number | null | undefined, digits = 3): string {
  if (value === null || value === undefined) return '-';
  const text = value.toFixed(digits);
  return Number(text) === 0 ? (0).toFixed(digits) : text; // no "-0.000" for a tiny negative (entropy's -1e-12)
}

function signed(value: number | null, digits: number): string {
  return value === null ? '-' : `${value >= 0 ? '+' : ''}${value.toFixed(digits)}`;
}

function predictionRow(name: string, m: PredictionMetrics): Row {
  return [
    name,
    String(m.count),
    fmt(m.exact_match),
    fmt(m.acc_swarm),
    fmt(m.acc_max_candidates),
    fmt(m.acc_max_minutes),
    fmt(m.acc_max_iterations),
    fmt(m.swarm_entropy),
    fmt(m.swarm_top1_freq),
  ];
}

function outcomeRow(name: string, m: OutcomeMetrics): Row {
  return [
    name,
    String(m.examples),
    fmt(m.pass_rate),
    fmt(m.mean_time_to_pass_ms, 0),
    fmt(m.duration_per_pass_ms, 0),
    fmt(m.cost_per_pass_usd, 4),
    fmt(m.oracle_match_rate),
    fmt(m.mean_regret_ms, 0),
  ];
}

function interval(label: string, b: BootstrapInterval, digits: number): string {
  return `  ${label}: ${signed(b.estimate, digits)} [${signed(b.low, digits)}, ${signed(b.high, digits)}] (95% bootstrap, ${b.resamples} resamples, seed ${b.seed})`;
}

function predictionSection(report: Obj): string[] {
  const baselines = report.baselines as Record<string, PredictionMetrics>;
  const rows = Object.entries(baselines).map(([n, m]) => predictionRow(n, m));
  const notes: string[] = [];
  for (const b of report.bundles as Obj[]) {
    if (b.status !== 'ok') continue;
    rows.push(predictionRow(`bundle ${b.checkpoint_id}`, b.metrics as PredictionMetrics));
    const h = b.heuristic_on_same_rows as PredictionMetrics;
    if (h.count !== (b.metrics as PredictionMetrics).count) rows.push(predictionRow('  heuristic, same rows', h));
    notes.push(
      interval(`${b.checkpoint_id}: exact match minus heuristic`, b.bootstrap_exact_match_diff as BootstrapInterval, 3),
    );
  }
  const header = ['Prediction (labels)', 'rows', 'exact', 'swarm', 'cand', 'min', 'iter', 'swarm-H', 'top1'];
  return [...table(header, rows), ...notes];
}

function outcomeSection(report: Obj | null): string[] {
  if (report === null) return ['Outcome: no row of this split carries bench candidates.'];
  const rows = [
    outcomeRow('baseline (first candidate)', report.baseline as OutcomeMetrics),
    outcomeRow('oracle (bench winner)', report.oracle as OutcomeMetrics),
  ];
  const notes: string[] = [];
  for (const b of report.bundles as Obj[]) {
    if (b.status !== 'ok') continue;
    rows.push(outcomeRow(`bundle ${b.checkpoint_id}`, b.model as OutcomeMetrics));
    const boot = b.bootstrap as Record<string, BootstrapInterval>;
    notes.push(
      interval(`${b.checkpoint_id}: pass rate minus baseline`, boot.pass_rate_diff, 3),
      interval(`${b.checkpoint_id}: mean regret ms minus baseline`, boot.mean_regret_ms_diff, 0),
    );
  }
  const header = ['Outcome (bench)', 'rows', 'pass', 'ttp_ms', 'dur/pass', 'cost/pass', 'oracle', 'regret_ms'];
  return [...table(header, rows), ...notes];
}

function sweepSection(b: Obj): string[] {
  const rows = (b.threshold_sweep as SweepPoint[]).map((p) => [
    p.threshold.toFixed(2),
    fmt(p.coverage),
    fmt(p.model_exact_match),
    fmt(p.heuristic_exact_match),
    fmt(p.gated_exact_match),
    fmt(p.model_pass_rate),
    fmt(p.baseline_pass_rate),
    fmt(p.gated_pass_rate),
  ]);
  const header = ['threshold', 'coverage', 'model-EM', 'heur-EM', 'gated-EM', 'model-pass', 'base-pass', 'gated-pass'];
  const rec = b.recommended_threshold as ThresholdRecommendation | null;
  const recLine = rec
    ? `  recommended threshold for coverage ≥ ${rec.target_coverage}: ${rec.threshold.toFixed(3)} (coverage ${fmt(rec.coverage)}, gated exact match ${fmt(rec.gated_exact_match)}, gated pass rate ${fmt(rec.gated_pass_rate)})`
    : '  no recommendation: the model predicted no row';
  return [
    `Threshold sweep: ${b.checkpoint_id} (model/heuristic/baseline on the rows the model decides; gated = the whole policy)`,
    ...table(header, rows),
    recLine,
  ];
}

function reliabilitySection(b: Obj): string[] {
  const r = b.reliability as Reliability;
  const rows = r.buckets
    .filter((k) => k.count > 0)
    .map((k) => [
      `[${k.lower.toFixed(1)}, ${k.upper.toFixed(1)})`,
      String(k.count),
      fmt(k.mean_confidence),
      fmt(k.accuracy),
    ]);
  return [
    `Reliability: ${b.checkpoint_id} (${b.confidence_mode} confidence vs exact match), ECE ${fmt(r.ece)}`,
    ...table(['bucket', 'rows', 'confidence', 'accuracy'], rows),
  ];
}

export function formatEvalTable(evalReport: Obj, outcome: Obj | null): string {
  const counts = evalReport.split_counts as Record<string, number>;
  const rows = evalReport.rows as Obj;
  const out = [
    `Dataset ${evalReport.dataset} (sha256 ${String(evalReport.dataset_sha256).slice(0, 12)}…), split ${evalReport.split}: ${rows.in_split} rows (${rows.labelled} labelled, ${rows.benched} benched); split sizes train ${counts.train} / val ${counts.val} / test ${counts.test}`,
    '',
    ...predictionSection(evalReport),
    '',
    ...outcomeSection(outcome),
  ];
  for (const b of evalReport.bundles as Obj[]) {
    if (b.status !== 'ok') {
      out.push('', `Bundle ${b.bundle}: NOT EVALUATED: ${(b.error as Obj).code}: ${(b.error as Obj).message}`);
      continue;
    }
    out.push('', ...sweepSection(b), '', ...reliabilitySection(b));
    const failed = b.failed_rows as { line: number; error: string }[];
    if (failed.length > 0)
      out.push(`  ${failed.length} rows could not be predicted (first: line ${failed[0].line}: ${failed[0].error})`);
  }
  const skipped = rows.skipped as { message: string }[];
  if (skipped.length > 0)
    out.push(
      '',
      `Skipped lines: ${skipped.length}`,
      ...skipped.slice(0, 20).map((s) => `  ${s.message}`),
      ...(skipped.length > 20 ? [`  … and ${skipped.length - 20} more (see --format json)`] : []),
    );
  return `${out.join('\n')}\n`;
}
