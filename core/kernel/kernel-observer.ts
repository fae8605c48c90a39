/**
 * The kernel's one extension point for rollout tooling (metrics, challengers, hot reload): the planner the scheduler
 * asks, a hook after each plan (its fields are merged into the manifest's `planner` section before the manifest is
 * written) and one after each finished manifest. `rollout/start-rollout.ts` builds it from the config.
 */
import type { ActionSpace } from '../action-space.js';
import type { LoadAttempt } from '../model-loader.js';
import type { PlannerInputV1 } from '../planner-input-types.js';
import type { PredictOutcome } from '../planner-inference.js';
import type { WorkcellManifest } from './dispatcher.js';
import type { ManifestExtras } from './manifest-extras.js';
import type { IssuePlan } from './scheduler.js';

/** What the scheduler needs of a planner: `PlannerInference`, or a wrapper around it that can swap models. */
export interface PlannerLike {
  readonly backend: string;
  readonly actionSpace: ActionSpace;
  /** The backend the config asked for (`model.type`), for the manifest's `requested_backend`. */
  readonly config: { readonly modelType: string };
  /** How the serving model was loaded: one entry per backend tried. */
  readonly attempts: readonly LoadAttempt[];
  predict(input: PlannerInputV1): Promise<PredictOutcome>;
  baseline(input: PlannerInputV1, reason: string | null): PredictOutcome;
}

export interface KernelObserver {
  readonly planner: PlannerLike;
  /** After the plan, before the dispatched manifest is written. Never throws. */
  planned(plan: IssuePlan): Promise<ManifestExtras>;
  /** After the finished manifest was written. Never throws. */
  finished(manifest: WorkcellManifest): void;
  /** Stops servers, watchers and challengers and disposes the planner(s). */
  close(): Promise<void>;
}
