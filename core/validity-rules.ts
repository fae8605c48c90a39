/**
 * Declarative validity rules: `{description, if: {swarm_id|job_type: value}, then: {<bin>: value | <bin>_not: value}}`.
 * All `if` keys must match for a rule to apply; then every `then` constraint must hold.
 */
import type { ActionTuple, BudgetBin } from './action.js';
import { ErrorCodes, PlannerError } from './errors.js';
import type { ValidityRule } from './planner-input-types.js';

export type CompiledRule = (jobType: string, t: ActionTuple) => boolean;

const CONDITION_KEYS = new Set(['swarm_id', 'job_type']);
const BIN_KEYS = new Set(['max_candidates_bin', 'max_minutes_bin', 'max_iterations_bin']);

export function compileRules(rules: readonly ValidityRule[], where: string): CompiledRule[] {
  return rules.map((rule, i) => compileRule(rule, `${where}/validity_rules/${i}`));
}

function compileRule(rule: ValidityRule, where: string): CompiledRule {
  if (typeof rule !== 'object' || rule === null || typeof rule.description !== 'string') {
    throw invalid(where, 'each validity rule needs a string "description"');
  }
  const cond = Object.entries(rule.if ?? {});
  const then = Object.entries(rule.then ?? {});
  for (const [k] of cond)
    if (!CONDITION_KEYS.has(k))
      throw invalid(`${where}/if/${k}`, `unknown condition key "${k}"; use swarm_id or job_type`);
  const checks = then.map(([k, v]) => compileConstraint(k, v as BudgetBin, `${where}/then/${k}`));
  return (jobType, t) => {
    const applies = cond.every(([k, v]) => (k === 'job_type' ? jobType === v : t.swarm_id === v));
    return !applies || checks.every((check) => check(t));
  };
}

function compileConstraint(key: string, value: BudgetBin, where: string): (t: ActionTuple) => boolean {
  const negated = key.endsWith('_not');
  const field = negated ? key.slice(0, -4) : key;
  if (!BIN_KEYS.has(field)) throw invalid(where, `unknown constraint "${key}"; use max_*_bin or max_*_bin_not`);
  const get = (t: ActionTuple): BudgetBin => t[field as keyof ActionTuple] as BudgetBin;
  return negated ? (t) => get(t) !== value : (t) => get(t) === value;
}

function invalid(where: string, message: string): PlannerError {
  return new PlannerError(ErrorCodes.ACTION_SPACE_INVALID, `${where}: ${message}`, { context: { where } });
}
