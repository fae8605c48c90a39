/**
 * What `runKernel` does before it plans anything: refuse a config without a runner command, compile every schema
 * the kernel validates records against (ajv compiles on first use, which takes tens of ms and would otherwise land
 * inside another issue's inference time budget), and load the configured plugin packages as config errors.
 */
import { loadPluginPackages } from '../backend/load-plugins.js';
import type { BackendRegistry } from '../backend/registry.js';
import { describeError } from '../errors.js';
import type { SchemaRegistry } from '../schemas.js';
import { configErrorAt } from './config-position.js';
import { MANIFEST_SCHEMA_ID } from './dispatcher.js';
import type { KernelConfig } from './kernel-config-types.js';
import { RUN_SUMMARY_SCHEMA_ID } from './run-summaries.js';

/** Every schema the kernel validates records against (the manifest's compiles the records it embeds). */
export const KERNEL_SCHEMA_IDS: readonly string[] = [MANIFEST_SCHEMA_ID, RUN_SUMMARY_SCHEMA_ID];

/** CONFIG_INVALID when no runner command is configured: without one, nothing would run and nothing could fail. */
export function assertRunnerConfigured(config: KernelConfig): void {
  if (config.kernel.runner.command.length > 0) return;
  throw configErrorAt(config, ['kernel', 'runner', 'command'], 'no runner command is configured; set kernel.runner.command to the command that works on an issue (an argv list, or a string run through /bin/sh -c)');
}

/** Compiles the kernel's schemas now, before any inference timer runs. */
export function compileKernelSchemas(schemas: SchemaRegistry): void {
  schemas.compile(KERNEL_SCHEMA_IDS);
}

/**
 * `planner.plugins`, resolved against the project root; one that does not load (or does not finish importing within
 * `planner.inference.load_timeout_ms`) is a config error at its entry.
 */
export async function loadConfiguredPlugins(registry: BackendRegistry, config: KernelConfig): Promise<void> {
  const plugins = config.planner.plugins;
  for (let i = 0; i < plugins.length; i++) {
    try {
      await loadPluginPackages(registry, [plugins[i]], config.root, { timeoutMs: config.planner.loadTimeoutMs });
    } catch (cause) {
      throw configErrorAt(config, ['planner', 'plugins', String(i)], describeError(cause), cause);
    }
  }
}

/**
 * `planner.model.type` must name a registered backend (or `auto`): a typo would otherwise silently serve the
 * heuristic for the whole queue (as `predict --type` refuses it). CONFIG_INVALID (exit 2) at the key, with the names.
 */
export function assertKnownModelType(registry: BackendRegistry, config: KernelConfig): void {
  const type = config.planner.modelType;
  if (!config.planner.enabled || type === null || type.toLowerCase() === 'auto' || registry.get(type)) return;
  throw configErrorAt(config, ['planner', 'model', 'type'], `${registry.unknown(type).message}; fix the name or add the backend's package to planner.plugins`);
}
