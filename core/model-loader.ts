/**
 * Resolves `model.type` + fallback chain into a working session: for each candidate backend, init → bundle check
 * → createSession → encoder → warm-up inference. Every failure is recorded as an attempt; nothing throws except the
 * all-failed case, whose error lists every attempt.
 */
import type { BackendPlugin, BackendSession, SessionContext } from './backend/plugin.js';
import { HEURISTIC_BACKEND, type BackendRegistry } from './backend/registry.js';
import type { Bundle } from './bundle/bundle-types.js';
import { loadBundle } from './bundle/load-bundle.js';
import { withPluginJsonFiles } from './bundle/plugin-json-files.js';
import { validateLogits } from './decode.js';
import type { InputEncoder } from './encoders/encoder.js';
import { createEncoderForBundle } from './encoders/select-encoder.js';
import { ErrorCodes, InferenceTimeoutError, PlannerError, describeError } from './errors.js';
import type { InferenceConfig } from './inference-config.js';
import type { Logger } from './logger.js';
import { buildPlannerInput } from './planner-input.js';
import { ActionSpace } from './action-space.js';
import { formatError, type SchemaRegistry } from './schemas.js';
import { withTimeout } from './with-timeout.js';

export type AttemptStage = 'resolve' | 'init' | 'bundle' | 'session' | 'encoder' | 'warmup';

export interface LoadAttempt {
  readonly backend: string;
  readonly stage: AttemptStage;
  readonly code: string;
  readonly message: string;
  /** The bundle is simply not this backend's kind (its bundle schema did not match): expected under `auto`. */
  readonly notForBackend?: boolean;
}

export interface LoadedModel {
  readonly plugin: BackendPlugin;
  readonly session: BackendSession;
  readonly encoder: InputEncoder;
  readonly bundle: Bundle | null;
  readonly actionSpace: ActionSpace;
  /** Failed attempts before the one that worked. */
  readonly attempts: readonly LoadAttempt[];
  readonly loadMs: number;
}

export interface LoaderDeps {
  readonly registry: BackendRegistry;
  readonly logger: Logger;
  readonly schemas: SchemaRegistry;
}

export async function loadModel(config: InferenceConfig, deps: LoaderDeps): Promise<LoadedModel> {
  const started = performance.now();
  const attempts: LoadAttempt[] = [];
  let bundlePromise: Promise<Bundle> | null = null;
  const bundle = (): Promise<Bundle> => {
    if (config.modelPath === null)
      return Promise.reject(
        new PlannerError(ErrorCodes.BUNDLE_NOT_FOUND, 'no model path configured (model.path / --bundle)'),
      );
    bundlePromise ??= loadBundle(config.modelPath, {
      maxFileBytes: config.maxFileBytes,
      schemas: deps.schemas,
      trustedDigests: config.trustedDigests,
    });
    return bundlePromise;
  };
  const named = new Set([config.modelType, ...config.fallback].map((n) => deps.registry.get(n)?.name));
  for (const name of deps.registry.candidates(config.modelType, config.fallback)) {
    const plugin = deps.registry.get(name);
    if (!plugin) {
      attempts.push(attempt(name, 'resolve', deps.registry.unknown(name)));
      continue;
    }
    const loading = tryBackend(plugin, config, deps, bundle);
    const result = await withTimeout(loading, config.loadTimeoutMs, `loading backend "${plugin.name}"`).catch(
      (e: unknown) => ({ failed: e instanceof LoadStageError ? e : new LoadStageError('session', e) }),
    );
    if ('failed' in result) {
      // A load that finishes after its timeout must not leak its native session.
      if (result.failed.cause instanceof InferenceTimeoutError)
        void loading.then(
          (late) => late.session.dispose(),
          () => undefined,
        );
      const failed = attempt(plugin.name, result.failed.stage, result.failed.cause);
      attempts.push(failed);
      // A bundle that is not this backend's kind is expected under `auto`; a backend asked for by name is not.
      const log = failed.notForBackend && !named.has(plugin.name) ? deps.logger.debug : deps.logger.warn;
      log.call(
        deps.logger,
        { backend: plugin.name, stage: result.failed.stage, err: describeError(result.failed.cause) },
        'backend unavailable; trying the next',
      );
      continue;
    }
    return { ...result, attempts, loadMs: performance.now() - started };
  }
  throw new PlannerError(
    ErrorCodes.BACKEND_UNAVAILABLE,
    `no planner backend could be loaded:\n${attempts.map((a) => `  - ${a.backend} (${a.stage}): ${a.code}: ${a.message}`).join('\n')}`,
    {
      context: { attempts },
    },
  );
}

/** A failure of one load stage; `cause` is the error the stage threw. */
export class LoadStageError extends Error {
  constructor(
    readonly stage: AttemptStage,
    override readonly cause: unknown,
  ) {
    super(describeError(cause));
  }
}

async function stage<T>(name: AttemptStage, fn: () => Promise<T> | T): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    throw new LoadStageError(name, e);
  }
}

async function tryBackend(
  plugin: BackendPlugin,
  config: InferenceConfig,
  deps: LoaderDeps,
  bundle: () => Promise<Bundle>,
): Promise<Omit<LoadedModel, 'attempts' | 'loadMs'>> {
  await stage('init', () => deps.registry.init(plugin.name));
  const shared = plugin.needsBundle ? await stage('bundle', bundle) : await bundle().catch(() => null);
  const b =
    shared && plugin.jsonFiles ? await stage('bundle', () => withPluginJsonFiles(shared, plugin.jsonFiles)) : shared;
  if (b && plugin.bundleSchema) await stage('bundle', () => checkBundleSchema(plugin, b, deps.schemas));
  const logger = deps.logger.child({ backend: plugin.name });
  const opened = await openWarmSession(plugin, b, { logger, options: config.backendOptions[plugin.name] ?? {} });
  return { plugin, ...opened, bundle: b };
}

export interface WarmSession {
  readonly session: BackendSession;
  readonly encoder: InputEncoder;
  readonly actionSpace: ActionSpace;
}

/**
 * The loader's last three stages, shared with `lint`'s warm-up check: createSession → encoder → one warm-up
 * inference whose logits must be finite and of the right widths. Throws a LoadStageError naming the stage; the
 * session is disposed on failure (on success the caller owns it).
 */
export async function openWarmSession(
  plugin: BackendPlugin,
  b: Bundle | null,
  ctx: SessionContext,
): Promise<WarmSession> {
  const session = await stage('session', () => plugin.createSession(b, ctx));
  try {
    const actionSpace = b?.actionSpace ?? ActionSpace.defaults();
    const encoder = await stage('encoder', () => createEncoderForBundle(b, session.input));
    await stage('warmup', () => warmUp(session, encoder, actionSpace));
    return { session, encoder, actionSpace };
  } catch (e) {
    await session.dispose().catch(() => undefined);
    throw e;
  }
}

function checkBundleSchema(plugin: BackendPlugin, bundle: Bundle, schemas: SchemaRegistry): void {
  const schema = plugin.bundleSchema as Record<string, unknown>;
  schemas.add(schema);
  const result = schemas.validate(schema.$id as string, { files: bundle.files, json: bundle.json });
  if (!result.valid) {
    throw new PlannerError(
      ErrorCodes.BUNDLE_SCHEMA,
      `bundle ${bundle.dir} does not fit backend "${plugin.name}": ${result.errors.map(formatError).join('; ')}`,
      {
        context: { bundle: bundle.dir, backend: plugin.name, notForBackend: true },
      },
    );
  }
}

/** One inference on a dummy input (spec open question 3), so the first real call is not a cold one. */
async function warmUp(session: BackendSession, encoder: InputEncoder, space: ActionSpace): Promise<void> {
  const input = buildPlannerInput({ issue: { id: 'warmup' }, now: 0, actionSpace: space });
  const [logits] = await session.infer({ inputs: [input], encoded: encoder.encodeBatch([input]) });
  validateLogits(logits, space);
}

function attempt(backend: string, stageName: AttemptStage, error: unknown): LoadAttempt {
  const e = error instanceof PlannerError ? error : null;
  const base = {
    backend,
    stage: stageName,
    code: e?.code ?? (error instanceof Error ? error.name : 'UNKNOWN'),
    message: error instanceof Error ? error.message : String(error),
  };
  return e?.context.notForBackend === true ? { ...base, notForBackend: true } : base;
}

/** The attempt that best explains a failed load: the first backend the bundle was meant for, else the first. */
export function primaryAttempt(attempts: readonly LoadAttempt[]): LoadAttempt | undefined {
  return attempts.find((a) => !a.notForBackend) ?? attempts[0];
}

export function isHeuristic(plugin: BackendPlugin): boolean {
  return plugin.name.toLowerCase() === HEURISTIC_BACKEND;
}
