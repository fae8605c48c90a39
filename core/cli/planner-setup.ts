/** Builds a registry and a PlannerInference for the one-shot commands (predict, encode, logits). */
import type { BackendRegistry } from '../backend/registry.js';
import { ErrorCodes, PlannerError } from '../errors.js';
import { resolveInferenceConfig, type InferenceConfigInput } from '../inference-config.js';
import { primaryAttempt, type LoadAttempt } from '../model-loader.js';
import { PlannerInference } from '../planner-inference.js';
import type { CliIO, CommandDeps } from './command.js';
import { assertKnownModelType } from '../kernel/kernel-preflight.js';
import type { KernelConfig } from '../kernel/kernel-config-types.js';
import { configInference } from './plugin-options.js';

export interface PlannerSetup {
  readonly registry: BackendRegistry;
  readonly planner: PlannerInference;
}

/** `--type` naming no registered backend is bad usage (exit 2), not a silent fallback to the heuristic. */
export function requireKnownBackend(registry: BackendRegistry, type: string | undefined): void {
  if (type !== undefined && type.toLowerCase() !== 'auto' && !registry.get(type)) {
    const e = registry.unknown(type);
    throw new PlannerError(ErrorCodes.USAGE, `--type: ${e.message}`, { context: e.context, cause: e });
  }
}

/**
 * Why a bundle could not be served, for commands that need the model itself (encode, logits): named after the
 * attempt that explains it. A missing bundle is bad input (exit 2); any other load failure is MODEL_LOAD_FAILED (1).
 */
export function modelLoadFailure(bundle: string, attempts: readonly LoadAttempt[]): PlannerError {
  const a = primaryAttempt(attempts);
  const why = a ? `${a.backend}, ${a.stage}: ${a.code}: ${a.message.split('\n')[0]}` : 'no backend claimed it';
  const code = a?.code === ErrorCodes.BUNDLE_NOT_FOUND ? a.code : ErrorCodes.MODEL_LOAD_FAILED;
  return new PlannerError(code, `bundle ${bundle} could not be loaded (${why})`, { context: { bundle, attempts } });
}

/**
 * `--type` defaults to the config's `planner.model.type`, else `auto` (every bundle backend by priority) when a bundle
 * is given, else the heuristic; `--bundle` defaults to the config's `planner.model.path`.
 */
export async function setUpPlanner(
  opts: { bundle?: string; type?: string; threshold?: number; timeoutMs?: number; config?: KernelConfig | null },
  io: CliIO,
  deps: CommandDeps,
  overrides: InferenceConfigInput = {},
): Promise<PlannerSetup> {
  const { registry } = deps;
  const logger = io.logger;
  requireKnownBackend(registry, opts.type);
  if (opts.config && opts.type === undefined) assertKnownModelType(registry, opts.config);
  const base = configInference(opts.config ?? null);
  const bundle = opts.bundle ?? base.modelPath ?? undefined;
  const config = resolveInferenceConfig({
    ...base,
    modelPath: bundle ?? null,
    modelType: opts.type ?? opts.config?.planner.modelType ?? (bundle ? 'auto' : 'heuristic'),
    confidenceThreshold: opts.threshold ?? base.confidenceThreshold,
    timeoutMs: opts.timeoutMs ?? base.timeoutMs,
    ...overrides,
  });
  const planner = await PlannerInference.create(config, { registry, logger });
  return { registry, planner };
}
