/**
 * Isolation worker: a child process (forked by `worker-handle.ts`) that loads the bundle once with the normal
 * in-process loader and then answers `infer` requests with raw logits. The parent keeps encoding and decoding, and
 * SIGKILLs this process when a call passes its timeout. Exits when the parent goes away.
 */
import { pathToFileURL } from 'node:url';
import type { BackendSession } from '../backend/plugin.js';
import { loadPluginPackages } from '../backend/load-plugins.js';
import type { BackendRegistry } from '../backend/registry.js';
import { ErrorCodes, PlannerError } from '../errors.js';
import { silentLogger } from '../logger.js';
import { isHeuristic, loadModel } from '../model-loader.js';
import { SchemaRegistry } from '../schemas.js';
import { toWireError, type InferRequest, type LoadRequest, type ParentMessage, type WorkerMessage } from './worker-protocol.js';

let session: BackendSession | null = null;

function send(message: WorkerMessage): void {
  process.send?.(message);
}

async function buildRegistry(request: LoadRequest): Promise<BackendRegistry> {
  const target = request.registryModule ? pathToFileURL(request.registryModule).href : new URL('../../plugins/index.js', import.meta.url).href;
  const mod = (await import(target)) as { createRegistry?: () => BackendRegistry | Promise<BackendRegistry>; createDefaultRegistry?: () => BackendRegistry };
  const factory = mod.createRegistry ?? mod.createDefaultRegistry;
  if (!factory) throw new PlannerError(ErrorCodes.PLUGIN_INVALID, `registry module ${target} exports neither createRegistry() nor createDefaultRegistry()`);
  const registry = await factory();
  await loadPluginPackages(registry, request.plugins, request.pluginsDir);
  return registry;
}

async function load(request: LoadRequest): Promise<void> {
  try {
    const registry = await buildRegistry(request);
    const config = { ...request.config, isolation: 'in-process' as const };
    const model = await loadModel(config, { registry, logger: silentLogger, schemas: new SchemaRegistry() });
    if (isHeuristic(model.plugin)) {
      // A worker serves the model or nothing: the heuristic's "logits" must never pass for the model's.
      await model.session.dispose();
      const error = new PlannerError('WORKER_MODEL_UNAVAILABLE', `the isolation worker could not load the model (only the heuristic): ${model.attempts.map((a) => `${a.backend}: ${a.code}`).join('; ')}`);
      send({ t: 'load-failed', error: toWireError(error), attempts: model.attempts });
      return;
    }
    session = model.session;
    send({ t: 'loaded', backend: model.plugin.name, input: model.session.input, info: { ...model.session.info }, attempts: model.attempts });
  } catch (error) {
    const attempts = error instanceof PlannerError && Array.isArray(error.context.attempts) ? (error.context.attempts as never) : [];
    send({ t: 'load-failed', error: toWireError(error), attempts });
  }
}

async function infer(request: InferRequest): Promise<void> {
  try {
    if (!session) throw new PlannerError('WORKER_NOT_LOADED', 'isolation worker got an infer request before its model loaded');
    const logits = await session.infer({ inputs: request.inputs, encoded: request.encoded });
    send({ t: 'result', id: request.id, logits });
  } catch (error) {
    send({ t: 'error', id: request.id, error: toWireError(error) });
  }
}

process.on('message', (message: ParentMessage) => {
  if (message.t === 'load') void load(message);
  else if (message.t === 'infer') void infer(message);
});
process.on('disconnect', () => process.exit(0));
