/** Head widths a bundle declares (metrics.json `head_sizes`, a model's output dims) against the action space. */
import type { HeadName } from '../../action.js';
import type { ActionSpace } from '../../action-space.js';
import { ErrorCodes } from '../../errors.js';
import { problem, type LintProblem } from './bundle-problem.js';

/** metrics.json's key for each head (Python planner training report). */
const METRICS_KEYS: Readonly<Record<HeadName, string>> = {
  swarm: 'swarm',
  candidates: 'max_candidates',
  minutes: 'max_minutes',
  iterations: 'max_iterations',
};

/** A problem when a head `width` does not match the action space; `file`/`pointer` locate the declared width. */
export function headWidthProblem(
  space: ActionSpace,
  head: HeadName,
  width: number,
  file: string,
  pointer: string,
): LintProblem | null {
  const expected = space.headSize(head);
  if (width === expected) return null;
  return problem(
    'error',
    ErrorCodes.BUNDLE_SHAPE_MISMATCH,
    file,
    pointer,
    `the ${head} head is ${width} wide but the action space has ${expected} ${head === 'swarm' ? 'swarm ids' : 'bins'}; retrain or fix the action space`,
  );
}

export function metricsHeadProblems(json: Readonly<Record<string, unknown>>, space: ActionSpace): LintProblem[] {
  const sizes = (json['metrics.json'] as { head_sizes?: unknown } | undefined)?.head_sizes;
  if (typeof sizes !== 'object' || sizes === null) return [];
  const out: LintProblem[] = [];
  for (const [head, key] of Object.entries(METRICS_KEYS) as [HeadName, string][]) {
    const width = (sizes as Record<string, unknown>)[key];
    if (typeof width !== 'number') continue;
    const p = headWidthProblem(space, head, width, 'metrics.json', `/head_sizes/${key}`);
    if (p) out.push(p);
  }
  return out;
}
