/**
 * Third-party backends: `planner.plugins: ["some-package", "./local-plugin.js"]`. Each module exports a plugin as
 * `plugins` (an array), `plugin`, or `default`. Specifiers resolve as ESM imports from the directory the caller
 * passes (the kernel: the project root; `resolve-plugin.ts`); an import that does not settle within the timeout is
 * PLUGIN_LOAD_TIMEOUT, so a plugin whose top-level await never ends cannot make a command exit silently.
 */
import { ErrorCodes, InferenceTimeoutError, PlannerError, describeError } from '../errors.js';
import { withTimeout } from '../with-timeout.js';
import type { BackendPlugin } from './plugin.js';
import type { BackendRegistry } from './registry.js';
import { resolvePluginUrl } from './resolve-plugin.js';

/** How long one plugin import may take (a module graph on a cold disk takes well under this). */
export const DEFAULT_PLUGIN_LOAD_TIMEOUT_MS = 30_000;

export interface LoadPluginOptions {
  /** Per plugin; default DEFAULT_PLUGIN_LOAD_TIMEOUT_MS. */
  readonly timeoutMs?: number;
}

export async function loadPluginPackages(
  registry: BackendRegistry,
  specifiers: readonly string[],
  fromDir: string,
  options: LoadPluginOptions = {},
): Promise<BackendPlugin[]> {
  const loaded: BackendPlugin[] = [];
  for (const spec of specifiers) {
    const mod = await importPlugin(spec, fromDir, options.timeoutMs ?? DEFAULT_PLUGIN_LOAD_TIMEOUT_MS);
    const plugins = pluginsOf(mod, spec);
    for (const p of plugins) registerFrom(registry, p, spec);
    loaded.push(...plugins);
  }
  return loaded;
}

async function importPlugin(spec: string, fromDir: string, timeoutMs: number): Promise<Record<string, unknown>> {
  const url = resolvePluginUrl(spec, fromDir);
  try {
    return (await withTimeout(
      import(url) as Promise<Record<string, unknown>>,
      timeoutMs,
      `importing planner plugin "${spec}"`,
    )) as Record<string, unknown>;
  } catch (cause) {
    if (cause instanceof InferenceTimeoutError) {
      throw new PlannerError(
        ErrorCodes.PLUGIN_LOAD_TIMEOUT,
        `planner plugin "${spec}" (${url}) did not finish importing within ${timeoutMs} ms; its module (or a top-level await in it) never settles: fix the plugin, or raise planner.inference.load_timeout_ms`,
        {
          context: { plugin: spec, url, timeoutMs },
        },
      );
    }
    throw new PlannerError(
      ErrorCodes.PLUGIN_LOAD_FAILED,
      `planner plugin "${spec}" could not be loaded from ${fromDir}: ${describeError(cause)}; install it or fix the path`,
      {
        context: { plugin: spec, fromDir, url },
        cause,
      },
    );
  }
}

/** `plugins` (array), else `plugin`, else `default`; each must pass the shape check (PLUGIN_INVALID names fields). */
function pluginsOf(mod: Record<string, unknown>, spec: string): BackendPlugin[] {
  const found = Array.isArray(mod.plugins)
    ? mod.plugins
    : mod.plugin !== undefined
      ? [mod.plugin]
      : mod.default !== undefined
        ? [mod.default]
        : [];
  if (found.length === 0) {
    throw new PlannerError(
      ErrorCodes.PLUGIN_INVALID,
      `planner plugin "${spec}" exports no backend plugin: export one as default, as "plugin", or an array as "plugins" (exports found: ${Object.keys(mod).join(', ') || 'none'})`,
      {
        context: { plugin: spec, fields: ['default'] },
      },
    );
  }
  return found as BackendPlugin[];
}

function registerFrom(registry: BackendRegistry, plugin: BackendPlugin, spec: string): void {
  try {
    registry.register(plugin);
  } catch (cause) {
    if (!(cause instanceof PlannerError)) throw cause;
    throw new PlannerError(cause.code, `planner plugin "${spec}": ${cause.message}`, {
      context: { ...cause.context, spec },
      cause,
    });
  }
}
