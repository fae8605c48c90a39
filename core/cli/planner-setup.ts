/** Builds a registry and a PlannerInference for the one-shot commands (predict, encode, logits). */
import { createDefaultRegistry } from '../../plugins/index.js';
import type { BackendRegistry } from '../backend/registry.js';
import { resolveInferenceConfig, type InferenceConfigInput } from '../inference-config.js';
import type { Logger } from '../logger.js';
import { PlannerInference } from '../planner-inference.js';

export interface PlannerSetup {
  readonly registry: BackendRegistry;
  readonly planner: PlannerInference;
}

/** `--type` defaults to `auto` (every bundle backend by priority) when a bundle is given, else the heuristic. */
export async function setUpPlanner(opts: { bundle?: string; type?: string; threshold?: number; timeoutMs?: number }, logger: Logger, overrides: InferenceConfigInput = {}): Promise<PlannerSetup> {
  const registry = createDefaultRegistry({ logger });
  const config = resolveInferenceConfig({
    modelPath: opts.bundle ?? null,
    modelType: opts.type ?? (opts.bundle ? 'auto' : 'heuristic'),
    confidenceThreshold: opts.threshold,
    timeoutMs: opts.timeoutMs,
    ...overrides,
  });
  const planner = await PlannerInference.create(config, { registry, logger });
  return { registry, planner };
}
