/**
 * The demo world: an honest SIMULATION (docs/demo-world.md), not a model of real agents. Each issue gets hidden traits
 * (difficulty, work in minutes, iterations a fab-world job needs) from its fields and the world seed; a dispatch of a
 * plan (swarm, candidates, minutes, iterations) then succeeds, fails or times out per candidate with probabilities and
 * durations that depend on the plan, and costs in proportion to candidate-minutes used. Pure and deterministic.
 */
import { draw } from './draw.js';

export const WORLD_SCHEMA_VERSION = 'cyntra-planner.demo_world_result.v1';

/** What the world reads of an issue (the kernel's issue.json). */
export interface WorldIssue {
  readonly id: string;
  readonly title?: unknown;
  readonly description?: unknown;
  readonly dk_risk?: unknown;
  readonly dk_size?: unknown;
  readonly tags?: unknown;
}

/** The executed plan as the runner sees it (CYNTRA_* variables). */
export interface WorldPlan {
  readonly swarmId: string;
  readonly candidates: number;
  /** Null: no budget (the attempt never times out). */
  readonly budgetMinutes: number | null;
  /** Null: not set (fab-world counts it as 1). */
  readonly iterations: number | null;
}

export interface HiddenTraits {
  /** In [0.02, 0.9]: the chance a single plain attempt fails. */
  readonly difficulty: number;
  /** Simulated minutes a typical attempt needs. */
  readonly workMinutes: number;
  /** fab-world only: iterations needed to converge (1 elsewhere). */
  readonly iterationsNeeded: number;
  readonly fabWorld: boolean;
}

export interface AttemptOutcome {
  readonly index: number;
  /** `timeout`: needs more than 95% of the budget, so the kernel's timer kills it. */
  readonly outcome: 'success' | 'failed' | 'timeout';
  /** Simulated minutes the attempt needs to finish (success or failure). */
  readonly needMinutes: number;
  /** Per-attempt success probability under this plan. */
  readonly pSuccess: number;
}

export interface DispatchOutcome {
  readonly status: 'success' | 'failed' | 'timeout';
  /** The first successful attempt, or null. */
  readonly winner: number | null;
  readonly durationMinutes: number;
  readonly costUsd: number;
  readonly attempts: readonly AttemptOutcome[];
}

const SIZE = {
  XS: { work: 6, base: 0.05, iterations: 1 },
  S: { work: 12, base: 0.12, iterations: 1 },
  M: { work: 24, base: 0.22, iterations: 2 },
  L: { work: 45, base: 0.32, iterations: 3 },
  XL: { work: 60, base: 0.42, iterations: 5 },
} as const;
const RISK: Readonly<Record<string, number>> = { low: 0, medium: 0.08, high: 0.2, critical: 0.3 };
const HARD_TAGS = new Set(['security', 'auth', 'migration', 'concurrency', 'refactor', 'kernel']);
const EASY_TAGS = new Set(['docs', 'typo', 'deps']);
/** $ per candidate-minute used, and the share of it a reserved (budgeted) minute costs. */
export const RATE_USD_PER_MINUTE = 0.02;
export const RESERVATION_SHARE = 0.05;
/** Minutes each extra speculate_vote candidate adds for the vote. */
export const VOTE_MINUTES = 1.5;

function sizeOf(issue: WorldIssue): keyof typeof SIZE {
  return typeof issue.dk_size === 'string' && issue.dk_size in SIZE ? (issue.dk_size as keyof typeof SIZE) : 'M';
}

function tagsOf(issue: WorldIssue): string[] {
  return Array.isArray(issue.tags) ? issue.tags.filter((t): t is string => typeof t === 'string') : [];
}

function words(issue: WorldIssue): string[] {
  const text = `${typeof issue.title === 'string' ? issue.title : ''} ${typeof issue.description === 'string' ? issue.description : ''}`;
  return [...new Set(text.toLowerCase().match(/[a-z0-9_]{3,}/g) ?? [])].sort();
}

/** The issue's hidden traits: from size, risk, tags and keywords, plus seeded jitter. */
export function hiddenTraits(issue: WorldIssue, seed: number): HiddenTraits {
  const size = SIZE[sizeOf(issue)];
  const tags = tagsOf(issue);
  const risk = typeof issue.dk_risk === 'string' && issue.dk_risk in RISK ? RISK[issue.dk_risk] : RISK.medium;
  const hard = Math.min(2, tags.filter((t) => HARD_TAGS.has(t)).length) * 0.06;
  const easy = tags.some((t) => EASY_TAGS.has(t)) ? -0.05 : 0;
  const keywordJitter = (draw(seed, 'keywords', words(issue).join(' ')) - 0.5) * 0.1;
  const issueJitter = (draw(seed, 'issue', issue.id) - 0.5) * 0.1;
  let difficulty = clamp(size.base + risk + hard + easy + keywordJitter + issueJitter, 0.02, 0.9);
  const fabWorld = tags.includes('asset:world');
  let workMinutes = size.work * (0.7 + 0.6 * draw(seed, 'work', issue.id)) * (1 + difficulty);
  if (tags.includes('demo:fails')) difficulty = 1;
  if (tags.includes('demo:slow')) workMinutes = 10_000;
  return { difficulty, workMinutes, iterationsNeeded: fabWorld ? size.iterations : 1, fabWorld };
}

/** One candidate's attempt under the plan. Draws depend on (seed, issue, candidate index) only, not on the plan. */
export function simulateAttempt(issue: WorldIssue, plan: WorldPlan, index: number, seed: number): AttemptOutcome {
  const t = hiddenTraits(issue, seed);
  const serial = plan.swarmId === 'serial_handoff';
  let p = 1 - t.difficulty;
  let minutes = t.workMinutes * (0.75 + 0.5 * draw(seed, 'time', issue.id, index));
  if (serial) {
    p = Math.min(0.97, p + 0.1); // the hand-off reviewer catches mistakes ...
    minutes *= 1.2; // ... and costs time
  } else {
    minutes += VOTE_MINUTES * (Math.max(1, plan.candidates) - 1);
  }
  if (t.fabWorld) {
    const iterations = plan.iterations ?? 1;
    if (iterations < t.iterationsNeeded) p *= 0.4 ** (t.iterationsNeeded - iterations);
    minutes *= 1 + 0.15 * (iterations - 1);
  }
  if (tagsOf(issue).includes('demo:flaky') && index === 0) p = 0;
  if (t.difficulty >= 1) p = 0;
  const success = draw(seed, 'attempt', issue.id, index) < p;
  if (!success) minutes *= 0.6; // a failure shows itself sooner
  const timedOut = plan.budgetMinutes !== null && minutes > 0.95 * plan.budgetMinutes;
  return { index, outcome: timedOut ? 'timeout' : success ? 'success' : 'failed', needMinutes: round3(minutes), pSuccess: round3(p) };
}

/** The whole dispatch: every candidate's attempt, the winner, duration and cost. */
export function simulateDispatch(issue: WorldIssue, plan: WorldPlan, seed: number): DispatchOutcome {
  const count = Math.max(1, plan.candidates);
  const attempts = Array.from({ length: count }, (_, i) => simulateAttempt(issue, plan, i, seed));
  const wins = attempts.filter((a) => a.outcome === 'success').sort((a, b) => a.needMinutes - b.needMinutes || a.index - b.index);
  const budget = plan.budgetMinutes ?? Infinity;
  const end = wins.length > 0 ? wins[0].needMinutes : Math.max(...attempts.map((a) => Math.min(a.needMinutes, budget)));
  const used = attempts.reduce((sum, a) => sum + Math.min(a.needMinutes, end), 0);
  const reserved = plan.budgetMinutes === null ? 0 : RESERVATION_SHARE * count * plan.budgetMinutes;
  const status = wins.length > 0 ? 'success' : attempts.some((a) => a.outcome === 'timeout') ? 'timeout' : 'failed';
  return { status, winner: wins.length > 0 ? wins[0].index : null, durationMinutes: round3(end), costUsd: round6(RATE_USD_PER_MINUTE * (used + reserved)), attempts };
}

function clamp(x: number, lo: number, hi: number): number {
  return Math.max(lo, Math.min(hi, x));
}

function round3(x: number): number {
  return Math.round(x * 1000) / 1000;
}

function round6(x: number): number {
  return Math.round(x * 1e6) / 1e6;
}
