/**
 * Fields the rollout tooling adds to a manifest's `planner` section (the section is open, so older readers ignore
 * them): `inference` (the champion's timings, for latency percentiles) and `challengers[]` (each challenger's shadow
 * prediction). `report` reads them; a manifest without them is still reported.
 */
import type { IssuePlan } from './scheduler.js';

export interface InferenceTimingRecord {
  backend: string;
  encode_ms: number;
  infer_ms: number;
  decode_ms: number;
  total_ms: number;
}

export type ChallengerStatus = 'ok' | 'fallback' | 'error' | 'timeout';

export interface ChallengerRecord {
  name: string;
  backend: string | null;
  /** `sha256:<hex>` of the challenger's bundle; null when it has none loaded. */
  digest: string | null;
  /** `ok`: the challenger's model answered; `fallback`: its own gate fell back; `error`/`timeout`: no answer. */
  status: ChallengerStatus;
  swarm_id: string | null;
  budgets: {
    max_candidates_bin: number | string;
    max_minutes_bin: number | string;
    max_iterations_bin: number | string;
  } | null;
  /** The challenger model's own decode confidence; null when it produced none. */
  confidence: number | null;
  reason: string | null;
  latency_ms: number;
}

export interface ManifestExtras {
  inference?: InferenceTimingRecord | null;
  challengers?: ChallengerRecord[];
}

/** The champion's timings; null when no inference ran (gate, heuristic only, model unavailable). */
export function inferenceTimingOf(plan: IssuePlan): InferenceTimingRecord | null {
  const t = plan.trace;
  if (!t || t.timings.totalMs <= 0) return null;
  const ms = (x: number): number => Math.round(x * 1000) / 1000;
  return {
    backend: t.backend,
    encode_ms: ms(t.timings.encodeMs),
    infer_ms: ms(t.timings.inferMs),
    decode_ms: ms(t.timings.decodeMs),
    total_ms: ms(t.timings.totalMs),
  };
}
