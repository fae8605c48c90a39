/**
 * `predict --challenger DIR`: one-off comparison of challenger bundles with the champion on one planner input.
 * Each challenger loads like `--bundle` (backend auto, the heuristic when it cannot load) with the champion's
 * threshold, timeout and caps; its record is compared head by head with the champion's.
 */
import type { BackendRegistry } from '../backend/registry.js';
import type { InferenceConfig } from '../inference-config.js';
import type { Logger } from '../logger.js';
import { PlannerInference, type PredictOutcome } from '../planner-inference.js';
import type { PlannerInputV1 } from '../planner-input-types.js';
import type { PlannerActionRecord } from '../records.js';
import { resolveInferenceConfig } from '../inference-config.js';
import { servedDigest } from './serving-planner.js';

export interface ChallengerComparison {
  bundle: string;
  backend: string;
  digest: string | null;
  record: PlannerActionRecord;
  /** The challenger model's own decode and confidence, before its gate (null when it produced none). */
  decoded: { action: NonNullable<PredictOutcome['trace']['modelAction']>; confidence: number | null } | null;
  agreement: { exact: boolean; swarm: boolean; candidates: boolean; minutes: boolean; iterations: boolean };
  latency_ms: number;
}

export async function compareChallengers(
  dirs: readonly string[],
  input: PlannerInputV1,
  champion: PredictOutcome,
  config: InferenceConfig,
  deps: { registry: BackendRegistry; logger: Logger },
): Promise<ChallengerComparison[]> {
  const out: ChallengerComparison[] = [];
  for (const dir of dirs) {
    const planner = await PlannerInference.create(
      resolveInferenceConfig({
        ...config,
        modelPath: dir,
        modelType: 'auto',
        fallback: 'heuristic',
        isolation: 'in-process',
      }),
      deps,
    );
    try {
      const started = performance.now();
      const outcome = await planner.predict(input);
      const latency = performance.now() - started;
      out.push({
        bundle: dir,
        backend: planner.backend,
        digest: await servedDigest(planner),
        record: outcome.record,
        decoded: outcome.trace.modelAction
          ? { action: outcome.trace.modelAction, confidence: outcome.trace.confidence }
          : null,
        agreement: agreementOf(champion.record, outcome.record),
        latency_ms: Math.round(latency * 1000) / 1000,
      });
    } finally {
      await planner.dispose();
    }
  }
  return out;
}

function agreementOf(a: PlannerActionRecord, b: PlannerActionRecord): ChallengerComparison['agreement'] {
  const heads = {
    swarm: a.swarm_id === b.swarm_id,
    candidates: a.budgets.max_candidates_bin === b.budgets.max_candidates_bin,
    minutes: a.budgets.max_minutes_bin === b.budgets.max_minutes_bin,
    iterations: a.budgets.max_iterations_bin === b.budgets.max_iterations_bin,
  };
  return { exact: Object.values(heads).every(Boolean), ...heads };
}
