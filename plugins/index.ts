/**
 * The built-in backends. Importing this module loads no runtime library: each plugin imports its own inside init().
 */
import { BackendRegistry } from '../core/backend/registry.js';
import type { BackendPlugin } from '../core/backend/plugin.js';
import type { Logger } from '../core/logger.js';
import { heuristicPlugin } from './heuristic/heuristic-plugin.js';
import { onnxPlugin } from './onnx/onnx-plugin.js';
import { tfjsPlugin } from './tfjs/tfjs-plugin.js';

/** onnx (priority 100), tfjs (20; serves `model.type: torch`), heuristic (always available, the last resort). */
export const builtinPlugins: readonly BackendPlugin[] = [onnxPlugin, tfjsPlugin, heuristicPlugin];

/** A fresh registry with the built-in backends. */
export function createDefaultRegistry(options: { logger?: Logger } = {}): BackendRegistry {
  const registry = new BackendRegistry(options);
  for (const plugin of builtinPlugins) registry.register(plugin);
  return registry;
}

export { heuristicPlugin, onnxPlugin, tfjsPlugin };
