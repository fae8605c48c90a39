/**
 * Builds the `cyntra-planner.report.v1` data from scanned workcells: decisions by source and reason (and over time),
 * shadow agreement, outcomes by source and by executed action, the confidence distribution and threshold sweep,
 * latency percentiles per backend, model versions and challengers against the champion.
 */
import { isNA } from '../action.js';
import { HEURISTIC_CHECKPOINT_ID } from '../heuristic-baseline.js';
import type { ExecutedPlanRecord } from '../records.js';
import { rfc3339 } from '../time.js';
import type { WorkcellManifest } from '../kernel/dispatcher.js';
import type { InferenceTimingRecord } from '../kernel/manifest-extras.js';
import { challengerRows } from './challenger-rows.js';
import { factsOf, type DecisionFacts } from './decision-facts.js';
import type { WorkcellEntry, WorkcellScan } from './read-workcells.js';
import {
  REPORT_SCHEMA_VERSION,
  type CountRate,
  type HeadAgreement,
  type LatencyRow,
  type ModelVersionRow,
  type OutcomeRow,
  type PlannerReport,
  type TimeBucket,
} from './report-types.js';
import { countBy, mean, percentile, rate, round, summarizeAgreement, timeRanges } from './report-stats.js';

interface Row {
  readonly m: WorkcellManifest;
  readonly f: DecisionFacts;
  readonly cost: number | null;
}

export function buildReport(
  scan: WorkcellScan,
  opts: { workcells: string; since: string | null; now: number },
): PlannerReport {
  const rows: Row[] = scan.entries.map((e: WorkcellEntry) => ({
    m: e.manifest,
    f: factsOf(e.manifest),
    cost: e.costUsd,
  }));
  const asked = rows.filter((r) => r.f.asked);
  const fallbacks = asked.filter((r) => r.f.fallback !== null).length;
  const finished = rows.filter((r) => r.m.run !== null);
  return {
    schema_version: REPORT_SCHEMA_VERSION,
    generated_at: rfc3339(opts.now),
    workcells: opts.workcells,
    since: opts.since,
    manifests: {
      found: scan.found,
      used: rows.length,
      finished: finished.length,
      before_since: scan.beforeSince,
      skipped: scan.skipped,
    },
    modes: Object.fromEntries(countBy(rows, (r) => r.f.mode)),
    decisions: {
      total: rows.length,
      planner_asked: asked.length,
      by_source: countRates(
        countBy(rows, (r) => r.f.source),
        rows.length,
      ),
      fallback_rate: round(rate(fallbacks, asked.length)),
      by_reason: countRates(
        countBy(rows, (r) => r.f.fallback ?? (r.f.gate ? `not_asked:${r.f.gate}` : null)),
        rows.length,
      ),
      caps: countRates(
        countBy(
          rows.flatMap((r) => r.f.caps),
          (c) => c,
        ),
        rows.length,
      ),
      over_time: overTime(asked),
    },
    shadow: agreement(
      rows
        .filter((r) => r.f.mode === 'shadow')
        .map((r) => [r.m.planner.model_action, r.m.planner.executed_plan] as const),
    ),
    outcomes: {
      by_source: outcomeRows(finished, (r) => r.f.source),
      by_action: outcomeRows(finished, (r) => actionKey(r.m.planner.executed_plan)),
    },
    confidence: confidenceFigures(asked),
    latency: latencyRows(rows),
    models: modelRows(asked),
    challengers: challengerRows(rows.map((r) => r.m)),
    reloads: {
      loaded: scan.reloads.filter((e) => e.result === 'loaded').length,
      refused: scan.reloads.filter((e) => e.result === 'refused').length,
      unchanged: scan.reloads.filter((e) => e.result === 'unchanged').length,
      events: scan.reloads,
    },
  };
}

function countRates(counts: Map<string, number>, whole: number): CountRate[] {
  return [...counts].map(([key, count]) => ({ key, count, rate: round(rate(count, whole)) ?? 0 }));
}

function overTime(asked: readonly Row[]): TimeBucket[] {
  return timeRanges(
    asked.map((r) => r.f.createdMs),
    10,
  ).map(({ start, end }) => {
    const inside = asked.filter((r) => r.f.createdMs >= start && r.f.createdMs < end);
    const fb = inside.filter((r) => r.f.fallback !== null).length;
    return {
      start: rfc3339(Math.floor(start)),
      end: rfc3339(Math.floor(end)),
      decisions: inside.length,
      fallbacks: fb,
      fallback_rate: round(rate(fb, inside.length)),
    };
  });
}

type Budgets = {
  max_candidates_bin: number | string;
  max_minutes_bin: number | string;
  max_iterations_bin: number | string;
};
type Planned = { swarm_id: string | null; budgets: Budgets | null } | null;

/** Bin vs executed value: NA matches only an unset value (the kernel's default then ran, not the model's choice). */
function binMatches(bin: number | string, executed: number | null): boolean {
  return isNA(bin as never) ? executed === null : bin === executed;
}

/** The model's plan (bins) against the executed plan, per head and exact, over the pairs where the model decoded. */
export function agreement(pairs: readonly (readonly [Planned, ExecutedPlanRecord])[]): HeadAgreement {
  const compared = pairs.filter(
    (p): p is readonly [NonNullable<Planned>, ExecutedPlanRecord] =>
      p[0] !== null && p[0].budgets !== null && p[0].swarm_id !== null,
  );
  const heads = compared.map(([a, e]) => {
    const b = a.budgets!;
    const minutes = e.timeout_seconds_executed === null ? null : e.timeout_seconds_executed / 60;
    return [
      a.swarm_id === e.swarm_id_executed,
      binMatches(b.max_candidates_bin, e.max_candidates_executed),
      binMatches(b.max_minutes_bin, minutes),
      binMatches(b.max_iterations_bin, e.max_iterations_executed),
    ];
  });
  return summarizeAgreement(heads);
}

function actionKey(e: ExecutedPlanRecord): string {
  const minutes = e.timeout_seconds_executed === null ? 'NA' : String(e.timeout_seconds_executed / 60);
  return `${e.swarm_id_executed} c${e.max_candidates_executed ?? 'NA'} m${minutes} i${e.max_iterations_executed ?? 'NA'}`;
}

function outcomeRows(rows: readonly Row[], key: (r: Row) => string): OutcomeRow[] {
  const groups = new Map<string, Row[]>();
  for (const r of rows) groups.set(key(r), [...(groups.get(key(r)) ?? []), r]);
  return [...groups]
    .sort((a, b) => b[1].length - a[1].length || (a[0] < b[0] ? -1 : 1))
    .map(([k, g]) => {
      const status = (s: string): number => g.filter((r) => r.m.run?.status === s).length;
      const durations = g.map((r) => r.m.run!.duration_ms);
      const costs = g.map((r) => r.cost).filter((c): c is number => c !== null);
      return {
        key: k,
        count: g.length,
        success: status('success'),
        failed: status('failed'),
        timeout: status('timeout'),
        success_rate: round(rate(status('success'), g.length)),
        duration_ms_mean: round(mean(durations), 1),
        duration_ms_p50: percentile(durations, 50),
        cost_usd_total: costs.length === 0 ? null : round(costs.reduce((a, b) => a + b, 0)),
        cost_recorded: costs.length,
      };
    });
}

const SWEEP = Array.from({ length: 21 }, (_, i) => i / 20);

/** The model's own confidences, and at each threshold the fallback rate the gate would have had on them. */
function confidenceFigures(asked: readonly Row[]): PlannerReport['confidence'] {
  const conf = asked.map((r) => r.m.planner.model_action?.confidence ?? null);
  const known = conf.filter((c): c is number => c !== null);
  const histogram = Array.from({ length: 10 }, (_, i) => ({
    lo: i / 10,
    hi: (i + 1) / 10,
    count: known.filter((c) => (i === 9 ? c >= 0.9 : c >= i / 10 && c < (i + 1) / 10)).length,
  }));
  // A decision with no model confidence (unavailable, error, timeout) falls back at every threshold.
  const sweep = SWEEP.map((t) => ({
    threshold: t,
    fallback_rate: round(rate(conf.filter((c) => c === null || c < t).length, conf.length)),
  }));
  return { count: known.length, histogram, sweep };
}

function latencyRows(rows: readonly Row[]): LatencyRow[] {
  const timings = rows
    .map((r) => (r.m.planner as { inference?: InferenceTimingRecord | null }).inference)
    .filter((t): t is InferenceTimingRecord => !!t && typeof t.total_ms === 'number');
  const byBackend = new Map<string, number[]>();
  for (const t of timings) byBackend.set(t.backend, [...(byBackend.get(t.backend) ?? []), t.total_ms]);
  return [...byBackend].map(([backend, v]) => ({
    backend,
    count: v.length,
    p50_ms: percentile(v, 50)!,
    p90_ms: percentile(v, 90)!,
    p99_ms: percentile(v, 99)!,
    max_ms: Math.max(...v),
  }));
}

function modelRows(asked: readonly Row[]): ModelVersionRow[] {
  const groups = new Map<string, Row[]>();
  for (const r of asked) groups.set(r.f.digest ?? '', [...(groups.get(r.f.digest ?? '') ?? []), r]);
  return [...groups].map(([digest, g]) => ({
    digest: digest === '' ? null : digest,
    // The model's own checkpoint id when any record of the group carries it (fallback records carry the heuristic's).
    checkpoint_id:
      g.find((r) => r.f.checkpointId !== null && r.f.checkpointId !== HEURISTIC_CHECKPOINT_ID)?.f.checkpointId ??
      g[0].f.checkpointId ??
      'unknown',
    decisions: g.length,
    fallbacks: g.filter((r) => r.f.fallback !== null).length,
  }));
}
