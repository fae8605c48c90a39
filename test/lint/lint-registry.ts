/** The default registry plus the backend plugins that exist in this tree but are not (yet) in plugins/index.ts. */
import type { BackendRegistry } from '../../core/backend/registry.js';
import { createDefaultRegistry } from '../../plugins/index.js';
import { onnxPlugin } from '../../plugins/onnx/onnx-plugin.js';
import { tfjsPlugin } from '../../plugins/tfjs/tfjs-plugin.js';

export function lintRegistry(): BackendRegistry {
  const registry = createDefaultRegistry();
  for (const plugin of [onnxPlugin, tfjsPlugin]) if (!registry.get(plugin.name)) registry.register(plugin);
  return registry;
}
