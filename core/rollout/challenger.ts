/**
 * One challenger model (spec open question 2): its own `PlannerInference`, asked in shadow on the champion's input
 * after the champion answered. Each prediction is bounded by `budgetMs`: past it the issue goes on and the record
 * says `timeout`. A challenger still busy with earlier issues past their budgets is skipped (`challenger_busy`)
 * rather than queued. An in-process challenger that blocks the event loop cannot be bounded: run such models with
 * `options.isolation: process`.
 */
import { existsSync, statSync } from 'node:fs';
import { ErrorCodes, PlannerError } from '../errors.js';
import { resolveInferenceConfig, type InferenceConfig } from '../inference-config.js';
import type { ChallengerRecord, ChallengerStatus } from '../kernel/manifest-extras.js';
import { PlannerInference, type PlannerDeps, type PredictOutcome } from '../planner-inference.js';
import type { PlannerInputV1 } from '../planner-input-types.js';
import type { ChallengerSettings } from './rollout-config.js';
import { servedDigest } from './serving-planner.js';

/** At most this many unfinished predictions per challenger (those past their budget included). */
const MAX_OUTSTANDING = 2;

/** CHALLENGER_NOT_FOUND unless `path` is a directory; `where` names it (config key or flag). */
export function assertChallengerPath(path: string, where: string): void {
  if (existsSync(path) && statSync(path).isDirectory()) return;
  throw new PlannerError(
    ErrorCodes.CHALLENGER_NOT_FOUND,
    `${where}: challenger bundle directory ${path} does not exist; fix the path or remove the challenger`,
    { context: { path, where } },
  );
}

export function challengerInferenceConfig(s: ChallengerSettings, champion: InferenceConfig): InferenceConfig {
  return resolveInferenceConfig({
    modelPath: s.path,
    modelType: s.type ?? 'auto',
    fallback: 'heuristic',
    confidenceThreshold: s.confidenceThreshold ?? champion.confidenceThreshold,
    useCalibration: champion.useCalibration,
    timeoutMs: s.timeoutMs ?? champion.timeoutMs,
    loadTimeoutMs: champion.loadTimeoutMs,
    caps: champion.caps,
    backendOptions: s.type ? { [s.type]: s.backendOptions } : {},
    isolation: s.isolation ?? champion.isolation,
    poolSize: 1,
  });
}

export class Challenger {
  private outstanding = 0;

  private constructor(
    readonly settings: ChallengerSettings,
    private readonly planner: PlannerInference,
    private readonly digest: string | null,
  ) {}

  static async load(settings: ChallengerSettings, config: InferenceConfig, deps: PlannerDeps): Promise<Challenger> {
    const planner = await PlannerInference.create(config, deps);
    return new Challenger(settings, planner, await servedDigest(planner).catch(() => null));
  }

  get name(): string {
    return this.settings.name;
  }

  get unavailable(): boolean {
    return this.planner.modelUnavailable;
  }

  /** Never throws; resolves within the budget (plus timer slack). */
  async predict(input: PlannerInputV1): Promise<ChallengerRecord> {
    const started = performance.now();
    if (this.outstanding >= MAX_OUTSTANDING) return this.empty('timeout', 'challenger_busy', 0);
    this.outstanding++;
    const running = this.planner.predict(input).finally(() => this.outstanding--);
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<'late'>((resolve) => {
      timer = setTimeout(() => resolve('late'), this.settings.budgetMs);
    });
    try {
      const outcome = await Promise.race([running, late]);
      const latency = performance.now() - started;
      return outcome === 'late'
        ? this.empty('timeout', 'challenger_budget_exceeded', latency)
        : this.recordOf(outcome, latency);
    } catch (e) {
      return this.empty('error', `challenger_error_${(e as Error)?.name ?? 'Error'}`, performance.now() - started);
    } finally {
      clearTimeout(timer);
      running.catch(() => undefined);
    }
  }

  async dispose(): Promise<void> {
    await this.planner.dispose();
  }

  private recordOf(outcome: PredictOutcome, latencyMs: number): ChallengerRecord {
    const { record, trace } = outcome;
    const decoded = trace.modelAction;
    const confidence = trace.confidence !== null && Number.isFinite(trace.confidence) ? trace.confidence : null;
    return {
      name: this.name,
      backend: trace.backend,
      digest: this.digest,
      status: statusOf(record.abstain_to_default, record.reason),
      swarm_id: decoded ? decoded.swarm_id : null,
      budgets: decoded
        ? {
            max_candidates_bin: decoded.max_candidates_bin,
            max_minutes_bin: decoded.max_minutes_bin,
            max_iterations_bin: decoded.max_iterations_bin,
          }
        : null,
      confidence: decoded ? confidence : null,
      reason: record.reason,
      latency_ms: round(latencyMs),
    };
  }

  private empty(status: ChallengerStatus, reason: string, latencyMs: number): ChallengerRecord {
    return {
      name: this.name,
      backend: this.planner.backend,
      digest: this.digest,
      status,
      swarm_id: null,
      budgets: null,
      confidence: null,
      reason,
      latency_ms: round(latencyMs),
    };
  }
}

function statusOf(abstained: boolean, reason: string | null): ChallengerStatus {
  if (!abstained) return 'ok';
  const r = reason ?? '';
  if (r.startsWith('inference_timeout')) return 'timeout';
  if (r.startsWith('low_confidence')) return 'fallback';
  return 'error';
}

function round(ms: number): number {
  return Math.round(ms * 1000) / 1000;
}
