/**
 * What one manifest says about its decision, in the terms `report` counts: who decided what ran (source), the
 * fallback reason the gate gave (grouped: `low_confidence_0.412` → `low_confidence`), the caps applied, the model's
 * own decode and confidence, the inference timing and the bundle digest of the record (`model.version`).
 */
import type { WorkcellManifest } from '../kernel/dispatcher.js';

export type Source = 'model' | 'heuristic';

export interface DecisionFacts {
  readonly createdMs: number;
  readonly mode: string;
  /** The planner was asked (no gate kept it out). */
  readonly asked: boolean;
  /** Who decided what was executed. */
  readonly source: Source;
  /** The fallback the gate took (or, in shadow mode, would have taken); null when the model's plan stood. */
  readonly fallback: string | null;
  /** Why the planner was not asked (grouped); null when it was. */
  readonly gate: string | null;
  readonly caps: readonly string[];
  readonly digest: string | null;
  readonly checkpointId: string | null;
}

const FALLBACK_GROUPS: readonly [RegExp, string][] = [
  [/^low_confidence/, 'low_confidence'],
  [/^inference_error/, 'inference_error'],
  [/^inference_timeout/, 'inference_timeout'],
  [/^model_unavailable/, 'model_unavailable'],
];

/** The group of one reason component; null for components that are not fallbacks (shadow_mode, caps). */
export function fallbackGroup(component: string): string | null {
  if (component === 'shadow_mode' || component.startsWith('capped_') || component === '') return null;
  for (const [re, group] of FALLBACK_GROUPS) if (re.test(component)) return group;
  return component.split(':')[0];
}

/** `capped_max_minutes_from_120` → `capped_max_minutes`. */
export function capGroup(component: string): string | null {
  return component.startsWith('capped_') ? component.replace(/_from_.*$/, '') : null;
}

export function gateGroup(reason: string): string {
  return reason.replace(/^(job_type_not_enabled|risk_not_enabled)_.*$/, '$1');
}

export function factsOf(m: WorkcellManifest): DecisionFacts {
  const p = m.planner;
  const record = p.planner_action;
  const parts = (record?.reason ?? '').split(';');
  const fallbacks = parts.map(fallbackGroup).filter((g): g is string => g !== null);
  const asked = record !== null;
  const shadow = p.mode === 'shadow';
  const modelDecided = asked && !shadow && !record.abstain_to_default;
  const version = record?.model?.version;
  return {
    createdMs: Date.parse(m.created_at),
    mode: p.mode,
    asked,
    source: modelDecided ? 'model' : 'heuristic',
    fallback: asked ? (fallbacks[0] ?? (!shadow && record.abstain_to_default ? 'unknown' : null)) : null,
    gate: asked ? null : gateGroup(p.gate_reason ?? 'planner_not_asked'),
    caps: parts.map(capGroup).filter((g): g is string => g !== null),
    digest: typeof version === 'string' && version.startsWith('sha256:') ? version : null,
    checkpointId: record?.model?.checkpoint_id ?? null,
  };
}
