/**
 * lint's warm-up check: when a bundle passed every offline check and its backend's runtime is available here, run
 * the loader's own last stages (createSession → encoder → one warm-up inference, `openWarmSession`) and report
 * what they refuse, with the loader's code. This is the only way to know about non-finite outputs or a graph that
 * throws. When the runtime cannot be loaded, the check is skipped and the report says so.
 */
import type { BackendPlugin } from '../backend/plugin.js';
import type { BackendRegistry } from '../backend/registry.js';
import type { Bundle } from '../bundle/bundle-types.js';
import { problem, type LintProblem } from '../bundle/checks/bundle-problem.js';
import { ErrorCodes, PlannerError, describeError } from '../errors.js';
import type { Logger } from '../logger.js';
import { LoadStageError, openWarmSession } from '../model-loader.js';
import { withTimeout } from '../with-timeout.js';

/** What the report says about the warm-up: `ran` (with or without a problem) or `skipped` and why. */
export interface WarmUpNote {
  readonly status: 'ran' | 'skipped';
  readonly backend: string;
  readonly reason?: string;
}

export interface WarmUpResult {
  readonly note: WarmUpNote;
  readonly problems: LintProblem[];
}

export const DEFAULT_WARM_UP_TIMEOUT_MS = 30_000;

export async function warmUpCheck(
  plugin: BackendPlugin,
  bundle: Bundle,
  registry: BackendRegistry,
  logger: Logger,
  timeoutMs = DEFAULT_WARM_UP_TIMEOUT_MS,
): Promise<WarmUpResult> {
  try {
    await registry.init(plugin.name);
  } catch (error) {
    const reason = `the ${plugin.name} runtime is not available here (${describeError(error instanceof PlannerError && error.cause ? error.cause : error).split('\n')[0]})`;
    return { note: { status: 'skipped', backend: plugin.name, reason }, problems: [] };
  }
  const opening = openWarmSession(plugin, bundle, { logger, options: {} });
  try {
    const opened = await withTimeout(opening, timeoutMs, `lint warm-up on backend "${plugin.name}"`);
    await opened.session.dispose().catch(() => undefined);
    return { note: { status: 'ran', backend: plugin.name }, problems: [] };
  } catch (error) {
    void opening.then(
      (late) => late.session.dispose(),
      () => undefined,
    ); // a late session must not leak
    return { note: { status: 'ran', backend: plugin.name }, problems: [warmUpProblem(plugin.name, error)] };
  }
}

function warmUpProblem(backend: string, error: unknown): LintProblem {
  const stage = error instanceof LoadStageError ? error.stage : 'session';
  const cause = error instanceof LoadStageError ? error.cause : error;
  const code = cause instanceof PlannerError ? cause.code : ErrorCodes.MODEL_LOAD_FAILED;
  const why = describeError(cause).split('\n')[0];
  return problem(
    'error',
    code,
    '',
    '',
    `the loader's ${stage} stage on backend "${backend}" (run by lint's warm-up) refuses this bundle: ${why}`,
  );
}
