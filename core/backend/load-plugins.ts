/**
 * Third-party backends: `planner.plugins: ["some-package", "./local-plugin.js"]`. Each module exports a plugin as
 * `default`, `plugin`, or an array `plugins`. Resolved from the directory the caller passes (the kernel: the project root), so no change to core/.
 */
import { createRequire } from 'node:module';
import { isAbsolute, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ErrorCodes, PlannerError, describeError } from '../errors.js';
import { isBackendPlugin, type BackendPlugin } from './plugin.js';
import type { BackendRegistry } from './registry.js';

export async function loadPluginPackages(registry: BackendRegistry, specifiers: readonly string[], fromDir: string): Promise<BackendPlugin[]> {
  const loaded: BackendPlugin[] = [];
  for (const spec of specifiers) {
    const mod = await importPlugin(spec, fromDir);
    const plugins = pluginsOf(mod, spec);
    for (const p of plugins) registry.register(p);
    loaded.push(...plugins);
  }
  return loaded;
}

async function importPlugin(spec: string, fromDir: string): Promise<Record<string, unknown>> {
  try {
    const isPath = spec.startsWith('.') || isAbsolute(spec);
    const target = isPath ? pathToFileURL(resolve(fromDir, spec)).href : pathToFileURL(createRequire(join(fromDir, 'noop.js')).resolve(spec)).href;
    return (await import(target)) as Record<string, unknown>;
  } catch (cause) {
    throw new PlannerError(ErrorCodes.PLUGIN_LOAD_FAILED, `planner plugin "${spec}" could not be loaded from ${fromDir}: ${describeError(cause)}; install it or fix the path`, {
      context: { plugin: spec, fromDir },
      cause,
    });
  }
}

function pluginsOf(mod: Record<string, unknown>, spec: string): BackendPlugin[] {
  const candidates = [mod.default, mod.plugin, ...(Array.isArray(mod.plugins) ? mod.plugins : [])].filter((v) => v !== undefined);
  const plugins = candidates.filter(isBackendPlugin);
  if (plugins.length === 0) {
    throw new PlannerError(ErrorCodes.PLUGIN_INVALID, `planner plugin "${spec}" exports no backend plugin (export one as default, "plugin" or "plugins")`, {
      context: { plugin: spec },
    });
  }
  return plugins;
}
