/**
 * The action space of a bundle: swarm ids and three bin lists, plus the validity rules of reference §4.
 * Head class index = position in the list.
 */
import { NA, tupleJson, type ActionTuple, type BudgetBin, type HeadName } from './action.js';
import { pyStrip } from './encoders/python-strip.js';
import { ErrorCodes, PlannerError } from './errors.js';
import type { ActionSpaceJson, ValidityRule } from './planner-input-types.js';
import { compileRules, type CompiledRule } from './validity-rules.js';

export const DEFAULT_SWARM_IDS: readonly string[] = ['serial_handoff', 'speculate_vote'];
export const DEFAULT_CANDIDATES_BINS: readonly BudgetBin[] = [1, 2, 3, NA];
export const DEFAULT_MINUTES_BINS: readonly BudgetBin[] = [15, 30, 45, 60, 120, NA];
export const DEFAULT_ITERATIONS_BINS: readonly BudgetBin[] = [1, 2, 3, 5, NA];

/** The default action space as a bundle's `action_space.json` holds it (fixtures, benchmarks, converters). */
export function defaultActionSpaceFile(): Record<string, unknown> {
  return {
    schema_version: 'cyntra.action_space.v1',
    swarm_ids: [...DEFAULT_SWARM_IDS],
    max_candidates_bins: [...DEFAULT_CANDIDATES_BINS],
    max_minutes_bins: [...DEFAULT_MINUTES_BINS],
    max_iterations_bins: [...DEFAULT_ITERATIONS_BINS],
  };
}

export type BinHead = Exclude<HeadName, 'swarm'>;

export interface ActionSpaceInit {
  readonly swarmIds: readonly string[];
  readonly candidates: readonly BudgetBin[];
  readonly minutes: readonly BudgetBin[];
  readonly iterations: readonly BudgetBin[];
  /** Declarative rules (reference §4 form); when absent the built-in v1 rules apply. */
  readonly validityRules?: readonly ValidityRule[];
}

/** The three rules the Python planner hard-codes, written declaratively (reference §4). */
export function validityRulesV1(): ValidityRule[] {
  return [
    {
      description: 'If swarm_id=serial_handoff, then max_candidates_bin=1.',
      if: { swarm_id: 'serial_handoff' },
      then: { max_candidates_bin: 1 },
    },
    {
      description: 'If job_type=code, then max_iterations_bin=NA.',
      if: { job_type: 'code' },
      then: { max_iterations_bin: 'NA' },
    },
    {
      description: 'If job_type=fab-world, then max_candidates_bin!=NA.',
      if: { job_type: 'fab-world' },
      then: { max_candidates_bin_not: 'NA' },
    },
  ];
}

export class ActionSpace {
  readonly swarmIds: readonly string[];
  readonly bins: Readonly<Record<BinHead, readonly BudgetBin[]>>;
  readonly validityRules: readonly ValidityRule[];
  private readonly rules: readonly CompiledRule[];
  private readonly validCache = new Map<string, readonly ActionTuple[]>();

  constructor(init: ActionSpaceInit, where = 'action space') {
    this.swarmIds = dedupeStrings(init.swarmIds);
    this.bins = { candidates: [...init.candidates], minutes: [...init.minutes], iterations: [...init.iterations] };
    if (this.swarmIds.length === 0) {
      throw new PlannerError(
        ErrorCodes.ACTION_SPACE_INVALID,
        `${where}: swarm_ids is empty; list at least one swarm id`,
        { context: { where, key: 'swarm_ids' } },
      );
    }
    this.validityRules = init.validityRules ? [...init.validityRules] : validityRulesV1();
    this.rules = compileRules(this.validityRules, where);
  }

  static defaults(): ActionSpace {
    return new ActionSpace({
      swarmIds: DEFAULT_SWARM_IDS,
      candidates: DEFAULT_CANDIDATES_BINS,
      minutes: DEFAULT_MINUTES_BINS,
      iterations: DEFAULT_ITERATIONS_BINS,
    });
  }

  /** Parses `action_space.json`, `config.json#/action_space` or `planner_input.action_space` (reference §4 parsing rules). */
  static fromJson(value: unknown, where: string): ActionSpace {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      throw new PlannerError(ErrorCodes.ACTION_SPACE_INVALID, `${where}: the action space must be a JSON object`, {
        context: { where },
      });
    }
    const obj = value as Record<string, unknown>;
    const swarms = obj.swarm_ids;
    if (!Array.isArray(swarms) || !swarms.every((s) => typeof s === 'string')) {
      throw new PlannerError(ErrorCodes.ACTION_SPACE_INVALID, `${where}: swarm_ids must be an array of strings`, {
        context: { where, key: 'swarm_ids' },
      });
    }
    const rules = obj.validity_rules;
    if (rules !== undefined && !Array.isArray(rules)) {
      throw new PlannerError(ErrorCodes.ACTION_SPACE_INVALID, `${where}: validity_rules must be an array`, {
        context: { where, key: 'validity_rules' },
      });
    }
    return new ActionSpace(
      {
        swarmIds: (swarms as string[]).filter((s) => s.length > 0),
        candidates: parseBins(obj.max_candidates_bins, DEFAULT_CANDIDATES_BINS),
        minutes: parseBins(obj.max_minutes_bins, DEFAULT_MINUTES_BINS),
        iterations: parseBins(obj.max_iterations_bins, DEFAULT_ITERATIONS_BINS),
        validityRules: rules as ValidityRule[] | undefined,
      },
      where,
    );
  }

  headSize(head: HeadName): number {
    return head === 'swarm' ? this.swarmIds.length : this.bins[head].length;
  }

  /** `action_space` object as `planner_input.v1` writes it (Python key order). */
  toJson(): ActionSpaceJson {
    return {
      swarm_ids: [...this.swarmIds],
      max_minutes_bins: [...this.bins.minutes],
      max_candidates_bins: [...this.bins.candidates],
      max_iterations_bins: [...this.bins.iterations],
      validity_rules: this.validityRules.map((r) => ({ ...r })),
    };
  }

  contains(t: ActionTuple): boolean {
    return (
      this.swarmIds.includes(t.swarm_id) &&
      this.bins.candidates.includes(t.max_candidates_bin) &&
      this.bins.minutes.includes(t.max_minutes_bin) &&
      this.bins.iterations.includes(t.max_iterations_bin)
    );
  }

  /** Reference §4 `is_valid_action`, with the bundle's declarative rules. */
  isValid(jobType: string, t: ActionTuple): boolean {
    for (const b of [t.max_candidates_bin, t.max_minutes_bin, t.max_iterations_bin]) {
      if (b !== NA && (!Number.isInteger(b) || b < 1)) return false;
    }
    return this.rules.every((rule) => rule(jobType, t));
  }

  /** Every valid tuple for the job type, sorted by swarm id, then each bin (ints ascending, NA last). Cached. */
  validActions(jobType: string): readonly ActionTuple[] {
    const cached = this.validCache.get(jobType);
    if (cached) return cached;
    const out: ActionTuple[] = [];
    for (const swarm_id of this.swarmIds) {
      for (const c of this.bins.candidates) {
        for (const m of this.bins.minutes) {
          for (const i of this.bins.iterations) {
            const t = { swarm_id, max_candidates_bin: c, max_minutes_bin: m, max_iterations_bin: i };
            if (this.isValid(jobType, t)) out.push(t);
          }
        }
      }
    }
    out.sort(compareTuples);
    this.validCache.set(jobType, out);
    return out;
  }

  /** Index of each component of a tuple in its head, or -1. */
  indexOf(t: ActionTuple): Readonly<Record<HeadName, number>> {
    return {
      swarm: this.swarmIds.indexOf(t.swarm_id),
      candidates: this.bins.candidates.indexOf(t.max_candidates_bin),
      minutes: this.bins.minutes.indexOf(t.max_minutes_bin),
      iterations: this.bins.iterations.indexOf(t.max_iterations_bin),
    };
  }
}

/** Reference §4 bin parsing: ints kept (bools count), "NA" trimmed case-insensitive, others dropped, deduped, empty ⇒ [NA]. */
export function parseBins(value: unknown, fallback: readonly BudgetBin[]): BudgetBin[] {
  if (!Array.isArray(value)) return [...fallback];
  const seen = new Set<BudgetBin>(); // linear: a bin list can be long in a hostile file
  for (const item of value) {
    let bin: BudgetBin | null = null;
    if (typeof item === 'boolean') bin = item ? 1 : 0;
    else if (typeof item === 'number' && Number.isInteger(item)) bin = item;
    else if (typeof item === 'string' && pyStrip(item).toUpperCase() === NA) bin = NA; // Python strip(), not JS trim()
    if (bin !== null) seen.add(bin);
  }
  return seen.size > 0 ? [...seen] : [NA];
}

/** Reference §4 `_map_to_bin`: null ⇒ NA, exact member ⇒ itself, else nearest int bin with ties to the lower. */
export function mapToBin(value: number | null | undefined, bins: readonly BudgetBin[]): BudgetBin {
  if (value === null || value === undefined || !Number.isFinite(value)) return NA;
  if (bins.includes(value)) return value;
  let best: number | null = null;
  for (const b of bins) {
    if (b === NA) continue;
    const better =
      best === null ||
      Math.abs(b - value) < Math.abs(best - value) ||
      (Math.abs(b - value) === Math.abs(best - value) && b < best);
    if (better) best = b;
  }
  return best ?? NA;
}

function compareBins(a: BudgetBin, b: BudgetBin): number {
  if (a === b) return 0;
  if (a === NA) return 1;
  if (b === NA) return -1;
  return a - b;
}

function compareTuples(a: ActionTuple, b: ActionTuple): number {
  if (a.swarm_id !== b.swarm_id) return a.swarm_id < b.swarm_id ? -1 : 1;
  return (
    compareBins(a.max_candidates_bin, b.max_candidates_bin) ||
    compareBins(a.max_minutes_bin, b.max_minutes_bin) ||
    compareBins(a.max_iterations_bin, b.max_iterations_bin) ||
    (tupleJson(a) < tupleJson(b) ? -1 : 0)
  );
}

function dedupeStrings(values: readonly string[]): string[] {
  return [...new Set(values.filter((s) => s.length > 0))];
}
