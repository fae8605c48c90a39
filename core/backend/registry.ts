/**
 * Backend registry: plugins by name and alias with a priority; lazy, shared, remembered init; resolution of a
 * `model.type` plus its fallback chain into an ordered list of candidates. An instance, never a global.
 */
import { ErrorCodes, PlannerError, describeError } from '../errors.js';
import { silentLogger, type Logger } from '../logger.js';
import { pluginShapeProblems, type BackendPlugin } from './plugin.js';

export const HEURISTIC_BACKEND = 'heuristic';

export interface BackendAvailability {
  readonly name: string;
  readonly aliases: readonly string[];
  readonly priority: number;
  readonly description: string;
  readonly needsBundle: boolean;
  readonly available: boolean;
  /** Why not, when unavailable. */
  readonly reason: string | null;
}

export class BackendRegistry {
  private readonly plugins = new Map<string, BackendPlugin>();
  private readonly aliases = new Map<string, string>();
  private readonly inits = new Map<string, Promise<void>>();
  private readonly logger: Logger;
  /**
   * The script an `isolation: process` worker runs to rebuild this registry's backends in the child (it calls
   * `runIsolationWorker` with them); null: the generic worker, which starts from an empty registry.
   */
  readonly workerEntry: string | null;

  constructor(options: { logger?: Logger; workerEntry?: string } = {}) {
    this.logger = options.logger ?? silentLogger;
    this.workerEntry = options.workerEntry ?? null;
  }

  /** A registry with the same plugins and worker entry whose plugins log to `logger` (init state is not shared). */
  withLogger(logger: Logger): BackendRegistry {
    const copy = new BackendRegistry({ logger, workerEntry: this.workerEntry ?? undefined });
    for (const [name, plugin] of this.plugins) copy.plugins.set(name, plugin);
    for (const [alias, name] of this.aliases) copy.aliases.set(alias, name);
    return copy;
  }

  /**
   * Registers a plugin, after checking its shape (PLUGIN_INVALID names each missing or wrong field). A name already
   * taken goes to the higher priority, and a tie is BACKEND_DUPLICATE; a name or alias that is another plugin's
   * name or alias is BACKEND_DUPLICATE too, never silently re-pointed. Nothing is changed when it throws.
   */
  register(plugin: BackendPlugin): this {
    const problems = pluginShapeProblems(plugin);
    if (problems.length > 0) {
      const label =
        typeof (plugin as { name?: unknown } | null)?.name === 'string'
          ? `backend plugin "${(plugin as { name: string }).name}"`
          : 'backend plugin';
      throw new PlannerError(
        ErrorCodes.PLUGIN_INVALID,
        `${label} is invalid: ${problems.join('; ')} (the contract: docs/writing-a-backend.md)`,
        {
          context: {
            plugin: (plugin as { name?: unknown } | null)?.name ?? null,
            fields: problems.map((p) => p.split(':')[0]),
          },
        },
      );
    }
    const name = plugin.name.toLowerCase();
    const existing = this.plugins.get(name);
    if (existing && existing.priority === plugin.priority && existing !== plugin) {
      throw new PlannerError(
        ErrorCodes.BACKEND_DUPLICATE,
        `backend "${name}" is registered twice with priority ${plugin.priority}; give one a higher priority`,
        {
          context: { backend: name },
        },
      );
    }
    if (existing && existing.priority > plugin.priority) return this;
    this.assertNoCollision(plugin);
    if (existing) for (const [alias, owner] of this.aliases) if (owner === name) this.aliases.delete(alias);
    this.plugins.set(name, plugin);
    this.inits.delete(name);
    for (const alias of plugin.aliases ?? []) this.aliases.set(alias.toLowerCase(), name);
    return this;
  }

  /** An alias (or the name) of `plugin` that another plugin already answers to. */
  private assertNoCollision(plugin: BackendPlugin): void {
    const name = plugin.name.toLowerCase();
    const owner = (key: string): string | undefined => (this.plugins.has(key) ? key : this.aliases.get(key));
    for (const key of [name, ...(plugin.aliases ?? []).map((a) => a.toLowerCase())]) {
      const taken = owner(key);
      if (taken === undefined || taken === name) continue;
      const what = key === name ? 'name' : 'alias';
      throw new PlannerError(
        ErrorCodes.BACKEND_DUPLICATE,
        `backend "${plugin.name}": its ${what} "${key}" is already taken by backend "${taken}"; choose another ${what}`,
        {
          context: { backend: plugin.name, [what]: key, takenBy: taken },
        },
      );
    }
  }

  /** The plugin for a name or alias (case-insensitive). */
  get(nameOrAlias: string): BackendPlugin | undefined {
    const key = nameOrAlias.toLowerCase();
    return this.plugins.get(key) ?? this.plugins.get(this.aliases.get(key) ?? '');
  }

  /** Plugins, highest priority first. */
  list(): BackendPlugin[] {
    return [...this.plugins.values()].sort((a, b) => b.priority - a.priority || a.name.localeCompare(b.name));
  }

  /** Runs the plugin's init once; concurrent callers share the promise, a failure is remembered. */
  init(nameOrAlias: string): Promise<void> {
    const plugin = this.get(nameOrAlias);
    if (!plugin) return Promise.reject(this.unknown(nameOrAlias));
    const name = plugin.name.toLowerCase();
    let pending = this.inits.get(name);
    if (!pending) {
      const logger = this.logger.child({ backend: plugin.name });
      pending = Promise.resolve()
        .then(() => plugin.init({ logger }))
        .catch((cause: unknown) => {
          throw new PlannerError(
            ErrorCodes.BACKEND_INIT_FAILED,
            `backend "${plugin.name}" failed to initialise: ${describeError(cause)}`,
            {
              context: { backend: plugin.name },
              cause,
            },
          );
        });
      pending.catch(() => undefined); // remembered, not unhandled
      this.inits.set(name, pending);
    }
    return pending;
  }

  async availability(): Promise<BackendAvailability[]> {
    return Promise.all(
      this.list().map(async (p) => {
        let reason: string | null = null;
        await this.init(p.name).catch(
          (e: unknown) => (reason = describeError(e instanceof PlannerError && e.cause ? e.cause : e)),
        );
        return {
          name: p.name,
          aliases: [...(p.aliases ?? [])],
          priority: p.priority,
          description: p.description,
          needsBundle: p.needsBundle,
          available: reason === null,
          reason,
        };
      }),
    );
  }

  /**
   * Backend names to try, in order: the requested type (or, for `auto`, every bundle backend by priority), then the
   * fallback chain, then the heuristic. Duplicates (by plugin) are dropped; unknown names are kept so the attempt
   * list can say so.
   */
  candidates(modelType: string, fallback: readonly string[]): string[] {
    const requested =
      modelType.toLowerCase() === 'auto'
        ? this.list()
            .filter((p) => p.needsBundle)
            .map((p) => p.name)
        : [modelType];
    const out: string[] = [];
    const seen = new Set<string>();
    for (const name of [...requested, ...fallback, HEURISTIC_BACKEND]) {
      const key = this.get(name)?.name.toLowerCase() ?? `?${name.toLowerCase()}`;
      if (!seen.has(key)) {
        seen.add(key);
        out.push(name);
      }
    }
    return out;
  }

  unknown(name: string): PlannerError {
    const known = this.list().flatMap((p) => [p.name, ...(p.aliases ?? [])]);
    return new PlannerError(
      ErrorCodes.BACKEND_UNKNOWN,
      `no backend named "${name}"; known: ${known.join(', ')} (load a third-party backend with --plugin SPEC or planner.plugins)`,
      {
        context: { backend: name, known },
      },
    );
  }
}
