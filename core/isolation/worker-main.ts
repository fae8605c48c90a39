/**
 * Isolation worker: the body of a child process (forked by `worker-handle.ts`) that loads the bundle once with the
 * normal in-process loader (asked on the IPC channel) and then answers infer frames on fd 4 with raw logits
 * (`frame-codec.ts`). The parent keeps encoding and decoding, and SIGKILLs this process when a call passes its
 * timeout. Exits when the parent goes away, and on a malformed frame (the stream is lost then).
 *
 * Core never finds plugins by itself: the entry script that is forked passes its registry factory in explicitly
 * (`plugins/isolation-worker.ts` passes the built-in plugins; `worker-entry.ts` passes none), and a load request may
 * name a `registryModule` the child builds its registry from instead.
 */
import { Socket } from 'node:net';
import { pathToFileURL } from 'node:url';
import type { BackendSession } from '../backend/plugin.js';
import { loadPluginPackages } from '../backend/load-plugins.js';
import { BackendRegistry } from '../backend/registry.js';
import { ErrorCodes, PlannerError } from '../errors.js';
import { silentLogger } from '../logger.js';
import { isHeuristic, loadModel } from '../model-loader.js';
import { SchemaRegistry } from '../schemas.js';
import { readInferRequest, writeError, writeResult, type InferCall } from './frame-codec.js';
import { FRAME_FD } from './frame-layout.js';
import { FrameReader } from './frame-reader.js';
import { FrameWriter } from './frame-writer.js';
import { SHARED_FD, SharedFile } from './shared-file.js';
import { toWireError, type LoadRequest, type ParentMessage, type WorkerMessage } from './worker-protocol.js';

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
  let shared: SharedFile | null = null;
  const load = async (request: LoadRequest): Promise<void> => {
    try {
      if (request.shared) shared ??= new SharedFile(SHARED_FD);
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
  const pipe = new Socket({ fd: FRAME_FD, readable: true, writable: true });
  const writer = new FrameWriter();
  const infer = async (call: InferCall): Promise<void> => {
    let reply: Buffer;
    try {
      if (!session)
        throw new PlannerError(
          ErrorCodes.WORKER_NOT_LOADED,
          'isolation worker got an infer request before its model loaded',
        );
      reply = writeResult(writer, call.id, await session.infer({ inputs: call.inputs, encoded: call.encoded }));
    } catch (error) {
      reply = writeError(writer, call.id, toWireError(error));
    }
    pipe.write(reply);
  };
  const reader = new FrameReader((body) => void infer(readInferRequest(body, shared)));
  pipe.on('data', (chunk: Buffer) => {
    try {
      reader.push(chunk);
    } catch (error) {
      // The parent's stream is lost: say why on stderr (the parent quotes its tail) and go; the parent replaces us.
      process.stderr.write(`isolation worker: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exit(1);
    }
  });
  pipe.on('error', () => process.exit(0));
  pipe.on('close', () => process.exit(0));
  process.on('message', (message: ParentMessage) => {
    if (message.t === 'load') void load(message);
  });
  process.on('disconnect', () => process.exit(0));
}
