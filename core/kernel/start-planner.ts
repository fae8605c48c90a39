/**
 * What the local kernel (`runKernel`) and a queue worker both set up before their first issue: the compiled schemas,
 * the configured plugins (an unknown `model.type` refused), the champion model from the config, and its rollout
 * (metrics, challengers, hot reload). One sequence, so a worker plans and serves exactly as `run` does.
 */
import type { BackendRegistry } from '../backend/registry.js';
import { resolveInferenceConfig, type InferenceConfig } from '../inference-config.js';
import type { IsolationOptions } from '../isolation/load-isolated-model.js';
import type { Logger } from '../logger.js';
import { PlannerInference } from '../planner-inference.js';
import { SchemaRegistry } from '../schemas.js';
import { startRollout, type RolloutDeps } from '../rollout/start-rollout.js';
import type { KernelConfig } from './kernel-config-types.js';
import type { KernelObserver } from './kernel-observer.js';
import { assertKnownModelType, compileKernelSchemas, loadConfiguredPlugins } from './kernel-preflight.js';

/** The planner's InferenceConfig from the kernel config (`planner.enabled: false` ⇒ the heuristic alone). */
export function inferenceConfigOf(config: KernelConfig): InferenceConfig {
  const p = config.planner;
  if (!p.enabled) return resolveInferenceConfig({ modelPath: null, modelType: 'heuristic', caps: p.caps });
  return resolveInferenceConfig({
    modelPath: p.modelPath,
    modelType: p.modelType ?? (p.modelPath ? 'auto' : 'heuristic'),
    fallback: p.fallback,
    confidenceThreshold: p.confidenceThreshold,
    useCalibration: p.useCalibration,
    timeoutMs: p.timeoutMs,
    caps: p.caps,
    backendOptions: p.backendOptions,
    isolation: p.isolation,
    poolSize: p.poolSize,
    loadTimeoutMs: p.loadTimeoutMs,
    ...(p.trustedDigests ? { trustedDigests: p.trustedDigests } : {}),
  });
}

export interface PlannerStartDeps {
  /** The backends (the CLI passes the built-in ones; `planner.plugins` are added to it). */
  readonly registry: BackendRegistry;
  readonly schemas?: SchemaRegistry;
  /** Epoch ms. */
  readonly now?: () => number;
  /** Where `isolation: process` workers get their backends (default: built-in plugins + `planner.plugins`). */
  readonly isolation?: IsolationOptions;
  /** Metrics URL callback, SIGHUP reload (`rollout/start-rollout.ts`). */
  readonly rollout?: Pick<RolloutDeps, 'onMetricsListening' | 'reloadOnSighup' | 'metrics'>;
}

export interface StartedPlanner {
  readonly schemas: SchemaRegistry;
  readonly now: () => number;
  /** The planner to ask (`rollout.planner`) and the hooks around each issue; `close()` disposes it all. */
  readonly rollout: KernelObserver;
}

export async function startPlanner(
  config: KernelConfig,
  deps: PlannerStartDeps,
  logger: Logger,
): Promise<StartedPlanner> {
  const schemas = deps.schemas ?? new SchemaRegistry();
  compileKernelSchemas(schemas);
  const now = deps.now ?? Date.now;
  const { registry } = deps;
  await loadConfiguredPlugins(registry, config);
  assertKnownModelType(registry, config);
  const isolation = { plugins: config.planner.plugins, pluginsDir: config.root, ...deps.isolation };
  const champion = await PlannerInference.create(inferenceConfigOf(config), {
    registry,
    logger,
    schemas,
    clock: now,
    isolation,
  });
  const rollout = await startRollout(config, champion, { registry, logger, schemas, isolation, ...deps.rollout });
  return { schemas, now, rollout };
}
