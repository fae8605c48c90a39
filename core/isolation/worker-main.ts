/**
 * Isolation worker: the body of a child process (forked by `worker-handle.ts`) that loads the bundle once with the
 * normal in-process loader and then answers `infer` requests with raw logits. The parent keeps encoding and decoding,
 * and SIGKILLs this process when a call passes its timeout. Exits when the parent goes away.
 *
 * Core never finds plugins by itself: the entry script that is forked passes its registry factory in explicitly
 * (`plugins/isolation-worker.ts` passes the built-in plugins; `worker-entry.ts` passes none), and a load request may
 * name a `registryModule` the child builds its registry from instead.
 */
import { pathToFileURL } from 'node:url';
import type { BackendSession } from '../backend/plugin.js';
import { loadPluginPackages } from '../backend/load-plugins.js';
import { BackendRegistry } from '../backend/registry.js';
import { ErrorCodes, PlannerError } from '../errors.js';
import { silentLogger } from '../logger.js';
import { isHeuristic, loadModel } from '../model-loader.js';
import { SchemaRegistry } from '../schemas.js';
import {
  packLogits,
  toWireError,
  type InferRequest,
  type LoadRequest,
  type ParentMessage,
  type WorkerMessage,
} from './worker-protocol.js';

/** Builds the child's registry (before `planner.plugins` are added to it). */
export type WorkerRegistryFactory = () => BackendRegistry | Promise<BackendRegistry>;

type RegistryModule = { createRegistry?: WorkerRegistryFactory; createDefaultRegistry?: WorkerRegistryFactory };

function send(message: WorkerMessage): void {
  process.send?.(message);
}

async function factoryOf(request: LoadRequest, fallback: WorkerRegistryFactory): Promise<WorkerRegistryFactory> {
  if (!request.registryModule) return fallback;
  const target = pathToFileURL(request.registryModule).href;
  const mod = (await import(target)) as RegistryModule;
  const factory = mod.createRegistry ?? mod.createDefaultRegistry;
  if (!factory)
    throw new PlannerError(
      ErrorCodes.PLUGIN_INVALID,
      `registry module ${target} exports neither createRegistry() nor createDefaultRegistry()`,
    );
  return factory;
}

async function buildRegistry(request: LoadRequest, fallback: WorkerRegistryFactory): Promise<BackendRegistry> {
  const registry = await (await factoryOf(request, fallback))();
  await loadPluginPackages(registry, request.plugins, request.pluginsDir);
  return registry;
}

/** Starts answering the parent's messages; `createRegistry` builds the registry unless a request names a module. */
export function runIsolationWorker(createRegistry: WorkerRegistryFactory = () => new BackendRegistry()): void {
  let session: BackendSession | null = null;
  const load = async (request: LoadRequest): Promise<void> => {
    try {
      const registry = await buildRegistry(request, createRegistry);
      const config = { ...request.config, isolation: 'in-process' as const };
      const model = await loadModel(config, { registry, logger: silentLogger, schemas: new SchemaRegistry() });
      if (isHeuristic(model.plugin)) {
        // A worker serves the model or nothing: the heuristic's "logits" must never pass for the model's.
        await model.session.dispose();
        const tried = model.attempts.map((a) => `${a.backend}: ${a.code}`).join('; ');
        const error = new PlannerError(
          ErrorCodes.WORKER_MODEL_UNAVAILABLE,
          `the isolation worker could not load the model (only the heuristic): ${tried}`,
        );
        send({ t: 'load-failed', error: toWireError(error), attempts: model.attempts });
        return;
      }
      session = model.session;
      send({
        t: 'loaded',
        backend: model.plugin.name,
        input: model.session.input,
        info: { ...model.session.info },
        attempts: model.attempts,
      });
    } catch (error) {
      const attempts =
        error instanceof PlannerError && Array.isArray(error.context.attempts) ? (error.context.attempts as never) : [];
      send({ t: 'load-failed', error: toWireError(error), attempts });
    }
  };
  const infer = async (request: InferRequest): Promise<void> => {
    try {
      if (!session)
        throw new PlannerError(
          ErrorCodes.WORKER_NOT_LOADED,
          'isolation worker got an infer request before its model loaded',
        );
      const logits = await session.infer({ inputs: request.inputs, encoded: request.encoded });
      const packed = packLogits(logits);
      send(packed ? { t: 'result', id: request.id, packed } : { t: 'result', id: request.id, logits });
    } catch (error) {
      send({ t: 'error', id: request.id, error: toWireError(error) });
    }
  };
  process.on('message', (message: ParentMessage) => {
    if (message.t === 'load') void load(message);
    else if (message.t === 'infer') void infer(message);
  });
  process.on('disconnect', () => process.exit(0));
}
