/**
 * What `runKernel` does before it plans anything: refuse a config without a runner command, compile every schema
 * the kernel validates records against (ajv compiles on first use, which takes tens of ms and would otherwise land
 * inside another issue's inference time budget), and load the configured plugin packages as config errors.
 */
import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, isAbsolute, join, resolve } from 'node:path';
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
  const runner = config.kernel.runner;
  const at = ['kernel', 'runner', 'command'];
  if (runner.command.length === 0) {
    throw configErrorAt(
      config,
      at,
      'no runner command is configured; set kernel.runner.command to the command that works on an issue (an argv list, or a string run through /bin/sh -c)',
    );
  }
  if (runner.shell) return;
  const program = runner.command[0];
  if (program.trim() === '')
    throw configErrorAt(
      config,
      [...at, '0'],
      'the program name is empty; the first item of the argv list names the program to run',
    );
  if (findProgram(program, config.root, runner.env.PATH ?? process.env.PATH ?? '') === null) {
    const where = program.includes('/')
      ? `${resolve(config.root, program)} does not exist or is not executable`
      : `"${program}" is not found on PATH`;
    throw configErrorAt(
      config,
      [...at, '0'],
      `cannot run the runner command: ${where}; fix the path (relative paths resolve against the project root ${config.root})`,
    );
  }
}

/** The executable `program` resolves to (as spawn would find it, from `cwd`), or null. */
function findProgram(program: string, cwd: string, path: string): string | null {
  const candidates = program.includes('/')
    ? [isAbsolute(program) ? program : resolve(cwd, program)]
    : path
        .split(delimiter)
        .filter((d) => d !== '')
        .map((d) => join(resolve(cwd, d), program));
  return (
    candidates.find((file) => {
      try {
        accessSync(file, constants.X_OK);
        return !statSync(file).isDirectory();
      } catch {
        return false;
      }
    }) ?? null
  );
}

/** CONFIG_INVALID when the workcells path exists and is not a directory. */
export function assertWorkcellsUsable(config: KernelConfig): void {
  const dir = config.kernel.workcells;
  let isDir = true;
  try {
    isDir = statSync(dir).isDirectory();
  } catch {
    // absent: it is created
  }
  if (!isDir)
    throw configErrorAt(
      config,
      ['kernel', 'workcells'],
      `${dir} is not a directory; point kernel.workcells (or --workcells) at a directory`,
    );
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
  throw configErrorAt(
    config,
    ['planner', 'model', 'type'],
    `${registry.unknown(type).message}; fix the name or add the backend's package to planner.plugins`,
  );
}
