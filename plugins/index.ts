/**
 * The built-in backends. Importing this module loads no runtime library: each plugin imports its own inside init().
 */
import { join } from 'node:path';
import { BackendRegistry } from '../core/backend/registry.js';
import type { BackendPlugin } from '../core/backend/plugin.js';
import type { Logger } from '../core/logger.js';
import { packageRoot } from '../core/paths.js';
import { heuristicPlugin } from './heuristic/heuristic-plugin.js';
import { onnxPlugin } from './onnx/onnx-plugin.js';
import { tfjsPlugin } from './tfjs/tfjs-plugin.js';

/** onnx (priority 100), tfjs (20; serves `model.type: torch`), heuristic (always available, the last resort). */
export const builtinPlugins: readonly BackendPlugin[] = [onnxPlugin, tfjsPlugin, heuristicPlugin];

/**
 * The isolation worker script that starts with the built-in backends (`isolation: process`): the **built** file, also
 * when this module runs from source (tests), like core's generic worker.
 */
export const builtinWorkerEntry = join(packageRoot(), 'dist', 'plugins', 'isolation-worker.js');

/** A fresh registry with the built-in backends; its isolation workers start with them too. */
export function createDefaultRegistry(options: { logger?: Logger } = {}): BackendRegistry {
  const registry = new BackendRegistry({ ...options, workerEntry: builtinWorkerEntry });
  for (const plugin of builtinPlugins) registry.register(plugin);
  return registry;
}

export { heuristicPlugin, onnxPlugin, tfjsPlugin };
