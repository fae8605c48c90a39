/**
 * `inference.isolation: process`: the backend session lives in a pool of child processes (each loads the bundle
 * once); the parent reads only the bundle's JSON, keeps the encoder and decoding, and talks to the pool through a
 * proxy session. A load that hangs (past `loadTimeoutMs`), crashes the child or fails falls back to the heuristic
 * with the failure in `attempts`, exactly like an in-process load failure.
 */
import { join } from 'node:path';
import { PLUGIN_API_VERSION, type BackendPlugin } from '../backend/plugin.js';
import { HEURISTIC_BACKEND, type BackendRegistry } from '../backend/registry.js';
import type { Bundle } from '../bundle/bundle-types.js';
import { loadBundle } from '../bundle/load-bundle.js';
import { createEncoderForBundle } from '../encoders/select-encoder.js';
import { ErrorCodes, PlannerError, describeError } from '../errors.js';
import type { InferenceConfig } from '../inference-config.js';
import { silentLogger, type Logger } from '../logger.js';
import { loadModel, type LoadAttempt, type LoadedModel } from '../model-loader.js';
import { packageRoot } from '../paths.js';
import { SchemaRegistry } from '../schemas.js';
import { ProxySession } from './proxy-session.js';
import { WorkerPool } from './worker-pool.js';
import type { LoadedReply } from './worker-protocol.js';

export interface IsolationOptions {
  /** Module (built .js path) the child builds its registry from: `createRegistry()` (may be async) or `createDefaultRegistry()`; default: the worker entry's own registry. */
  readonly registryModule?: string;
  /** `planner.plugins` specifiers the child loads too, resolved from `pluginsDir` (default: cwd). */
  readonly plugins?: readonly string[];
  readonly pluginsDir?: string;
  /** The built worker script; default the registry's `workerEntry`, else `dist/core/isolation/worker-entry.js`. */
  readonly workerEntry?: string;
}

export interface IsolatedDeps {
  readonly registry: BackendRegistry;
  readonly logger?: Logger;
  readonly schemas?: SchemaRegistry;
  readonly isolation?: IsolationOptions;
}

export function defaultWorkerEntry(): string {
  return join(packageRoot(), 'dist', 'core', 'isolation', 'worker-entry.js');
}

export async function loadIsolatedModel(config: InferenceConfig, deps: IsolatedDeps): Promise<LoadedModel> {
  const started = performance.now();
  const logger = deps.logger ?? silentLogger;
  const schemas = deps.schemas ?? new SchemaRegistry();
  const local = { ...config, isolation: 'in-process' as const };
  if (config.modelType.toLowerCase() === HEURISTIC_BACKEND)
    return loadModel(local, { registry: deps.registry, logger, schemas });
  const opts = deps.isolation ?? {};
  const spec = {
    entry: opts.workerEntry ?? deps.registry.workerEntry ?? defaultWorkerEntry(),
    config: local,
    registryModule: opts.registryModule ?? null,
    plugins: opts.plugins ?? [],
    pluginsDir: opts.pluginsDir ?? process.cwd(),
  };
  let startedPool: { pool: WorkerPool; loaded: LoadedReply };
  try {
    startedPool = await WorkerPool.start(spec, config.poolSize, config.loadTimeoutMs, logger);
  } catch (error) {
    logger.warn({ err: describeError(error) }, 'isolated model load failed; the heuristic answers');
    return heuristic(
      config,
      deps,
      logger,
      schemas,
      [...childAttempts(error), failedAttempt(config.modelType, error)],
      started,
    );
  }
  const { pool, loaded } = startedPool;
  if (loaded.backend.toLowerCase() === HEURISTIC_BACKEND) {
    pool.dispose();
    return heuristic(config, deps, logger, schemas, loaded.attempts, started);
  }
  try {
    // The same trust options as the child's loader: the parent's JSON (action space, calibration) is held to the pin too.
    const bundle = await loadBundle(config.modelPath as string, {
      maxFileBytes: config.maxFileBytes,
      schemas,
      trustedDigests: config.trustedDigests,
    });
    const session = new ProxySession(pool, loaded, config.poolSize);
    const encoder = createEncoderForBundle(bundle, session.input);
    const plugin = deps.registry.get(loaded.backend) ?? remotePlugin(loaded.backend);
    return {
      plugin,
      session,
      encoder,
      bundle: bundle as Bundle,
      actionSpace: bundle.actionSpace,
      attempts: loaded.attempts,
      loadMs: performance.now() - started,
    };
  } catch (error) {
    pool.dispose();
    return heuristic(
      config,
      deps,
      logger,
      schemas,
      [...loaded.attempts, failedAttempt(loaded.backend, error, 'encoder')],
      started,
    );
  }
}

async function heuristic(
  config: InferenceConfig,
  deps: IsolatedDeps,
  logger: Logger,
  schemas: SchemaRegistry,
  attempts: readonly LoadAttempt[],
  started: number,
): Promise<LoadedModel> {
  const model = await loadModel(
    { ...config, modelType: HEURISTIC_BACKEND, fallback: [], isolation: 'in-process' },
    { registry: deps.registry, logger, schemas },
  );
  return { ...model, attempts: [...attempts, ...model.attempts], loadMs: performance.now() - started };
}

function childAttempts(error: unknown): LoadAttempt[] {
  const list = error instanceof PlannerError ? error.context.attempts : undefined;
  return Array.isArray(list) ? (list as LoadAttempt[]) : [];
}

function failedAttempt(backend: string, error: unknown, stage: LoadAttempt['stage'] = 'session'): LoadAttempt {
  const code = error instanceof PlannerError ? error.code : error instanceof Error ? error.name : ErrorCodes.UNKNOWN;
  return { backend, stage, code, message: describeError(error) };
}

/** Stands for a backend known only inside the child (e.g. loaded there from `plugins`). */
function remotePlugin(name: string): BackendPlugin {
  return {
    apiVersion: PLUGIN_API_VERSION,
    name,
    priority: 0,
    description: `backend "${name}" running in an isolation worker`,
    needsBundle: true,
    init: async () => undefined,
    createSession: () =>
      Promise.reject(
        new PlannerError(ErrorCodes.WORKER_REMOTE_ONLY, `backend "${name}" runs only inside an isolation worker`),
      ),
  };
}
