/**
 * Builds `cyntra.planner_input.v1` (reference §2) from an issue, history, universe defaults and system state.
 * Unlike the spec's builder, `universe_id` goes at the top level (universe_defaults is a closed object) and the job
 * type comes from the issue's tags, as the Python kernel does. Bad enum fields are clamped to their defaults.
 */
import { ActionSpace } from './action-space.js';
import { extractKeywords } from './encoders/keywords.js';
import { pyStrip } from './encoders/python-strip.js';
import type {
  DkPriority,
  DkRisk,
  DkSize,
  Issue,
  PlannerInputV1,
  PlannerIssue,
  RunSummary,
  SystemState,
  UniverseDefaults,
} from './planner-input-types.js';
import { rfc3339 } from './time.js';

export const DK_PRIORITIES: readonly DkPriority[] = ['P0', 'P1', 'P2', 'P3'];
export const DK_RISKS: readonly DkRisk[] = ['low', 'medium', 'high', 'critical'];
export const DK_SIZES: readonly DkSize[] = ['XS', 'S', 'M', 'L', 'XL'];
export const KEYWORDS_PER_ISSUE = 16;
export const MAX_SIMILAR_RUNS = 8;

export interface BuildPlannerInputOptions {
  readonly issue: Issue;
  readonly now: number;
  readonly history?: readonly RunSummary[];
  readonly universeId?: string;
  readonly universeDefaults?: Partial<UniverseDefaults>;
  readonly systemState?: SystemState | null;
  readonly actionSpace?: ActionSpace;
  /** Defaults to `jobTypeOf(issue)`. */
  readonly jobType?: string;
}

export function buildPlannerInput(opts: BuildPlannerInputOptions): PlannerInputV1 {
  const space = opts.actionSpace ?? ActionSpace.defaults();
  const input: PlannerInputV1 = {
    schema_version: 'cyntra.planner_input.v1',
    created_at: rfc3339(opts.now),
    universe_id: opts.universeId && opts.universeId.length > 0 ? opts.universeId : 'unknown',
    job_type: opts.jobType ?? jobTypeOf(opts.issue),
    universe_defaults: {
      swarm_id: opts.universeDefaults?.swarm_id ?? null,
      objective_id: opts.universeDefaults?.objective_id ?? null,
    },
    issue: plannerIssue(opts.issue),
    history: { last_n_similar_runs: (opts.history ?? []).slice(0, MAX_SIMILAR_RUNS).map((r) => ({ ...r })) },
    action_space: space.toJson(),
  };
  if (opts.systemState !== undefined) input.system_state = opts.systemState;
  return input;
}

/** `fab-world` when the issue carries the tag `asset:world`, else `code` (the Python kernel's rule). */
export function jobTypeOf(issue: Pick<Issue, 'tags'>): string {
  return Array.isArray(issue.tags) && issue.tags.includes('asset:world') ? 'fab-world' : 'code';
}

export function plannerIssue(issue: Issue): PlannerIssue {
  const title = typeof issue.title === 'string' ? issue.title : '';
  const description = typeof issue.description === 'string' ? issue.description : null;
  return {
    issue_id: String(issue.id),
    dk_priority: clampEnum(issue.dk_priority, DK_PRIORITIES, 'P2'),
    dk_risk: clampEnum(issue.dk_risk, DK_RISKS, 'medium'),
    dk_size: clampEnum(issue.dk_size, DK_SIZES, 'M'),
    dk_tool_hint: typeof issue.dk_tool_hint === 'string' ? issue.dk_tool_hint : null,
    dk_attempts:
      Number.isInteger(issue.dk_attempts) && (issue.dk_attempts as number) >= 0 ? (issue.dk_attempts as number) : 0,
    tags: Array.isArray(issue.tags)
      ? issue.tags.filter((t): t is string => typeof t === 'string' && pyStrip(t).length > 0)
      : [],
    title,
    keywords: extractKeywords(`${title}\n${description ?? ''}`, KEYWORDS_PER_ISSUE),
  };
}

function clampEnum<T extends string>(value: unknown, allowed: readonly T[], fallback: T): T {
  return typeof value === 'string' && (allowed as readonly string[]).includes(value) ? (value as T) : fallback;
}

/** Reference `_bin_count`: ≤0 → "0", ≤2 → "1_2", ≤5 → "3_5", else "6_plus". */
export function binCount(n: number): string {
  if (n <= 0) return '0';
  if (n <= 2) return '1_2';
  if (n <= 5) return '3_5';
  return '6_plus';
}

/** UTC hour, two digits. */
export function hourBucket(nowMs: number): string {
  return String(new Date(nowMs).getUTCHours()).padStart(2, '0');
}
