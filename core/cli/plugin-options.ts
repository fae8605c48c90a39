/**
 * `--plugin SPEC` (repeatable) and `--config FILE`, shared by every command that uses backends (predict, encode,
 * logits, lint, backends). `--plugin` resolves from the current directory; `--config` loads the kernel config, whose
 * `planner.plugins` resolve against its project root and whose `load_timeout_ms` bounds each plugin import.
 */
import { loadPluginPackages } from '../backend/load-plugins.js';
import type { BackendRegistry } from '../backend/registry.js';
import type { InferenceConfigInput } from '../inference-config.js';
import { inferenceConfigOf } from '../kernel/kernel.js';
import type { KernelConfig } from '../kernel/kernel-config-types.js';
import { loadKernelConfig } from '../kernel/load-config.js';
import { loadConfiguredPlugins } from '../kernel/kernel-preflight.js';
import type { CliIO } from './command.js';

export const PLUGIN_ARGS = {
  plugin: { type: 'string', multiple: true },
  config: { type: 'string' },
} as const;

/**
 * Help lines for the two options. `what`: what the command takes from the config besides plugins; `column`: where
 * the command's option descriptions start; `withType`: whether the command has `--type`.
 */
export function pluginHelp(what: string, column = 20, withType = true): string {
  const pad = (flag: string) => `  ${flag}`.padEnd(column);
  const indent = ' '.repeat(column);
  const lines = [
    `${pad('--plugin SPEC')}load a third-party backend: a package name (resolved as an ESM import from the`,
    `${indent}current directory) or a file path (repeatable)${withType ? '; its name then works with --type' : ''}`,
    `${pad('--config FILE')}kernel config: loads its planner.plugins (resolved against its project root)`,
  ];
  if (what) lines.push(`${indent}${what}`);
  return lines.join('\n');
}

/** Loads `--config` (warnings to stderr) and every plugin it and `--plugin` name into the command's registry. */
export async function loadCliPlugins(
  values: { plugin?: string[]; config?: string },
  io: CliIO,
  registry: BackendRegistry,
): Promise<KernelConfig | null> {
  let config: KernelConfig | null = null;
  if (values.config !== undefined) {
    const loaded = loadKernelConfig({ cwd: io.cwd, file: values.config });
    for (const w of loaded.warnings) io.stderr(`warning: ${w.message}\n`);
    config = loaded.config;
    await loadConfiguredPlugins(registry, config);
  }
  await loadPluginPackages(
    registry,
    values.plugin ?? [],
    io.cwd,
    config ? { timeoutMs: config.planner.loadTimeoutMs } : {},
  );
  return config;
}

/**
 * The planner settings a one-shot command takes from `--config` (model path and type, fallback, threshold, time
 * budget, calibration, caps, backend_options, trusted digests); its own flags override them. Always in-process.
 */
export function configInference(config: KernelConfig | null): InferenceConfigInput {
  if (config === null) return {};
  return { ...inferenceConfigOf(config), isolation: 'in-process', poolSize: 1 };
}
