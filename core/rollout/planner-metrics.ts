/**
 * The kernel's Prometheus metrics (prom-client, one registry per kernel): predictions by backend, source and reason;
 * fallbacks by reason; inference latency and model confidence histograms; runs by outcome; challenger predictions
 * and latency; bundle reloads; and the serving bundle as an info metric. Names follow Prometheus conventions:
 * `cyntra_planner_` prefix, seconds, `_total` counters. Label values are bounded (reasons are grouped).
 */
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { WorkcellManifest } from '../kernel/dispatcher.js';
import type { ChallengerRecord } from '../kernel/manifest-extras.js';
import type { IssuePlan } from '../kernel/scheduler.js';
import { fallbackGroup, gateGroup } from '../report/decision-facts.js';

export interface ServingInfo {
  readonly name: string;
  readonly version: string;
  readonly digest: string;
  readonly backend: string;
}

export type ReloadResult = 'loaded' | 'refused' | 'unchanged';

const LATENCY_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5];
const CONFIDENCE_BUCKETS = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1];

export class PlannerMetrics {
  readonly registry = new Registry();
  private readonly predictions = new Counter({
    name: 'cyntra_planner_predictions_total',
    help: 'Planner decisions, by backend, by who decided what ran (model|heuristic) and by grouped reason (none when the model decided).',
    labelNames: ['backend', 'source', 'reason'],
    registers: [this.registry],
  });
  private readonly fallbacks = new Counter({
    name: 'cyntra_planner_fallbacks_total',
    help: 'Decisions where the gate fell back to the heuristic (in shadow mode: would have), by grouped reason.',
    labelNames: ['reason'],
    registers: [this.registry],
  });
  private readonly latency = new Histogram({
    name: 'cyntra_planner_inference_duration_seconds',
    help: 'Champion inference time (encode, infer, decode) per prediction.',
    labelNames: ['backend'],
    buckets: LATENCY_BUCKETS,
    registers: [this.registry],
  });
  private readonly confidence = new Histogram({
    name: 'cyntra_planner_model_confidence',
    help: "Confidence of the model's own decode (before the gate), per prediction.",
    labelNames: ['backend'],
    buckets: CONFIDENCE_BUCKETS,
    registers: [this.registry],
  });
  private readonly runs = new Counter({
    name: 'cyntra_planner_runs_total',
    help: 'Finished issue runs by outcome.',
    labelNames: ['outcome'],
    registers: [this.registry],
  });
  private readonly challengers = new Counter({
    name: 'cyntra_planner_challenger_predictions_total',
    help: 'Challenger shadow predictions by challenger and status (ok|fallback|error|timeout).',
    labelNames: ['challenger', 'status'],
    registers: [this.registry],
  });
  private readonly challengerLatency = new Histogram({
    name: 'cyntra_planner_challenger_duration_seconds',
    help: 'Challenger prediction time, bounded by its budget.',
    labelNames: ['challenger'],
    buckets: LATENCY_BUCKETS,
    registers: [this.registry],
  });
  private readonly reloads = new Counter({
    name: 'cyntra_planner_model_reloads_total',
    help: 'Hot reload attempts by result (loaded|refused|unchanged).',
    labelNames: ['result'],
    registers: [this.registry],
  });
  private readonly info = new Gauge({
    name: 'cyntra_planner_model_info',
    help: 'The serving bundle: 1 for the one serving now.',
    labelNames: ['name', 'version', 'digest', 'backend'],
    registers: [this.registry],
  });

  constructor() {
    for (const result of ['loaded', 'refused', 'unchanged']) this.reloads.inc({ result }, 0);
  }

  /** One planned issue: its decision, and the champion's timing and confidence when the model ran. */
  observePlan(plan: IssuePlan): void {
    const record = plan.record;
    if (record === null) {
      this.predictions.inc({
        backend: plan.backend,
        source: 'heuristic',
        reason: `not_asked:${gateGroup(plan.gateReason ?? 'planner_not_asked')}`,
      });
      return;
    }
    const fallback =
      (record.reason ?? '')
        .split(';')
        .map(fallbackGroup)
        .find((g) => g !== null) ?? (plan.mode !== 'shadow' && record.abstain_to_default ? 'unknown' : null);
    const source = plan.mode !== 'shadow' && !record.abstain_to_default ? 'model' : 'heuristic';
    this.predictions.inc({ backend: plan.backend, source, reason: fallback ?? 'none' });
    if (fallback !== null) this.fallbacks.inc({ reason: fallback });
    const t = plan.trace;
    if (t && t.timings.totalMs > 0) this.latency.observe({ backend: t.backend }, t.timings.totalMs / 1000);
    if (t && t.confidence !== null && t.modelAction !== null)
      this.confidence.observe({ backend: t.backend }, t.confidence);
  }

  observeRun(manifest: WorkcellManifest): void {
    if (manifest.run) this.runs.inc({ outcome: manifest.run.status });
  }

  observeChallenger(c: ChallengerRecord): void {
    this.challengers.inc({ challenger: c.name, status: c.status });
    this.challengerLatency.observe({ challenger: c.name }, c.latency_ms / 1000);
  }

  observeReload(result: ReloadResult): void {
    this.reloads.inc({ result });
  }

  setServing(serving: ServingInfo): void {
    this.info.reset();
    this.info.set({ ...serving }, 1);
  }
}
