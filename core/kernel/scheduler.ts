/**
 * The scheduler (spec §4.2): gates (enabled, job type, risk level, rollout), planner input with similar-runs
 * history, universe defaults and system state, the prediction (caps are applied inside the planner), shadow mode and
 * force_swarm. Every path yields a plan; `planIssue` is null when a gate keeps the planner out.
 */
import type { PlannerAction } from '../action.js';
import { joinReason } from '../caps.js';
import type { LoadAttempt } from '../model-loader.js';
import type { PredictTrace } from '../planner-inference.js';
import type { PlannerLike } from './kernel-observer.js';
import { buildPlannerInput, jobTypeOf, plannerIssue } from '../planner-input.js';
import type { Issue, PlannerInputV1, RunSummary } from '../planner-input-types.js';
import type { PlannerActionRecord } from '../records.js';
import { plannerMode } from './cli-overrides.js';
import { configErrorAt } from './config-position.js';
import { applyForceSwarm } from './force-swarm.js';
import type { KernelConfig, PlannerMode } from './kernel-config-types.js';
import { inRollout } from './rollout.js';
import { selectSimilarRuns } from './similar-runs.js';
import { systemStateSnapshot } from './system-state.js';

export interface IssuePlan {
  readonly issue: Issue;
  readonly jobType: string;
  readonly input: PlannerInputV1;
  readonly mode: PlannerMode;
  /** Why the planner was not asked (`planner_disabled`, `job_type_not_enabled`, ...); null when it was. */
  readonly gateReason: string | null;
  /** What runs: the model's action, the heuristic's (fallback, shadow, gate), after force_swarm. */
  readonly action: PlannerAction;
  /** The planner's `planner_action.v1` record; null when it was not asked. In shadow mode, the model's prediction. */
  readonly record: PlannerActionRecord | null;
  /** The backend the planner serves from (the loaded one; the heuristic when the model could not load). */
  readonly backend: string;
  /** What the config asked for (`model.type`: a name, `auto`, or `heuristic` when the planner is disabled). */
  readonly requestedBackend?: string;
  /** Failed load attempts before `backend` answered (the same for every issue of a run). */
  readonly loadAttempts?: readonly LoadAttempt[];
  readonly forcedSwarm: string | null;
  readonly trace: PredictTrace | null;
}

export interface SchedulerDeps {
  readonly config: KernelConfig;
  readonly planner: PlannerLike;
  readonly history: () => readonly RunSummary[];
  readonly load: () => { activeWorkcells: number; queueDepth: number | null };
  readonly now: () => number;
}

export class Scheduler {
  constructor(private readonly deps: SchedulerDeps) {
    const force = deps.config.planner.forceSwarm;
    if (force !== null && !deps.planner.actionSpace.swarmIds.includes(force)) {
      const ids = deps.planner.actionSpace.swarmIds;
      throw configErrorAt(
        deps.config,
        ['planner', 'flags', 'force_swarm'],
        `"${force}" is not in the action space (${ids.join(', ')}); set it to one of them or null`,
      );
    }
  }

  /** The reason the planner is kept out for this issue, or null. */
  gate(issue: Issue): string | null {
    const p = this.deps.config.planner;
    if (!p.enabled) return 'planner_disabled';
    const jobType = jobTypeOf(issue);
    if (!p.enabledJobTypes.includes(jobType)) return `job_type_not_enabled_${jobType}`;
    const risk = plannerIssue(issue).dk_risk;
    if (p.enabledRiskLevels !== null && !p.enabledRiskLevels.includes(risk)) return `risk_not_enabled_${risk}`;
    if (!inRollout(issue.id, p.rolloutFraction)) return 'rollout_excluded';
    return null;
  }

  /** The planner's plan; null when a gate keeps the planner out. */
  async planIssue(issue: Issue): Promise<IssuePlan | null> {
    if (this.gate(issue) !== null) return null;
    const input = this.input(issue);
    const outcome = await this.deps.planner.predict(input);
    const mode = plannerMode(this.deps.config);
    if (mode !== 'shadow') return this.finish(issue, input, mode, null, outcome.action, outcome.record, outcome.trace);
    const base = this.deps.planner.baseline(input, 'shadow_mode');
    const record: PlannerActionRecord = {
      ...outcome.record,
      abstain_to_default: true,
      reason: joinReason('shadow_mode', outcome.action.reason ? [outcome.action.reason] : []),
    };
    return this.finish(issue, input, mode, null, base.action, record, outcome.trace);
  }

  /** Always a plan: the planner's, or the heuristic's with the gate reason. */
  async plan(issue: Issue): Promise<IssuePlan> {
    const planned = await this.planIssue(issue);
    if (planned) return planned;
    const input = this.input(issue);
    const base = this.deps.planner.baseline(input, null);
    const plan = this.finish(issue, input, plannerMode(this.deps.config), this.gate(issue), base.action, null, null);
    return { ...plan, backend: 'heuristic' };
  }

  input(issue: Issue): PlannerInputV1 {
    const { config, planner, now } = this.deps;
    const at = now();
    const jobType = jobTypeOf(issue);
    const tags = Array.isArray(issue.tags) ? issue.tags.filter((t): t is string => typeof t === 'string') : [];
    return buildPlannerInput({
      issue,
      now: at,
      jobType,
      history: selectSimilarRuns({ jobType, startedMs: at, tags }, this.deps.history()),
      universeId: config.kernel.universeId,
      universeDefaults: config.kernel.universeDefaults,
      systemState: systemStateSnapshot({ ...this.deps.load(), toolchains: config.kernel.toolchains, now: at }),
      actionSpace: planner.actionSpace,
    });
  }

  private finish(
    issue: Issue,
    input: PlannerInputV1,
    mode: PlannerMode,
    gateReason: string | null,
    action: PlannerAction,
    record: PlannerActionRecord | null,
    trace: PredictTrace | null,
  ): IssuePlan {
    const force = this.deps.config.planner.forceSwarm;
    const finalAction =
      force === null ? action : applyForceSwarm(action, force, input.job_type, this.deps.planner.actionSpace);
    const { planner } = this.deps;
    return {
      issue,
      jobType: input.job_type,
      input,
      mode,
      gateReason,
      action: finalAction,
      record,
      backend: planner.backend,
      requestedBackend: planner.config.modelType,
      loadAttempts: planner.attempts,
      forcedSwarm: force,
      trace,
    };
  }
}
