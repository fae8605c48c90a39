/**
 * Builds the kernel's rollout observer from the config: the serving planner (digest stamping, hot reload on SIGHUP
 * and, with `planner.model.watch`, on bundle changes), the challengers, and the Prometheus endpoint. Everything is
 * off unless configured, except the digest stamping and the timings recorded in each manifest.
 */
import type { BackendRegistry } from '../backend/registry.js';
import type { IsolationOptions } from '../isolation/load-isolated-model.js';
import type { KernelConfig } from '../kernel/kernel-config-types.js';
import type { KernelObserver } from '../kernel/kernel-observer.js';
import { inferenceTimingOf, type ManifestExtras } from '../kernel/manifest-extras.js';
import type { Logger } from '../logger.js';
import type { PlannerInference } from '../planner-inference.js';
import type { SchemaRegistry } from '../schemas.js';
import { appendFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { BundleReloader, type ReloadOutcome } from './bundle-reloader.js';
import { BundleWatcher } from './bundle-watcher.js';
import { ChallengerSet } from './challenger-set.js';
import { startMetricsServer, type MetricsServer } from './metrics-server.js';
import { PlannerMetrics, type ServingInfo } from './planner-metrics.js';
import { ROLLOUT_DEFAULTS, type RolloutSection } from './rollout-config.js';
import { ServingPlanner } from './serving-planner.js';

export interface RolloutDeps {
  readonly registry: BackendRegistry;
  readonly logger: Logger;
  readonly schemas: SchemaRegistry;
  readonly isolation?: IsolationOptions;
  /** Called once the metrics endpoint listens, with its URL (the CLI prints it). */
  readonly onMetricsListening?: (url: string) => void;
  /** Reload the champion on SIGHUP (the CLI's `run` turns it on; library callers opt in). */
  readonly reloadOnSighup?: boolean;
  /** Metrics to record into (default: a new registry, served only when `kernel.metrics` is set). */
  readonly metrics?: PlannerMetrics;
}

/** The serving bundle's name, version and digest, for the info metric. */
export function servingInfo(serving: ServingPlanner): ServingInfo {
  const planner = serving.champion;
  const meta = (planner.bundle?.json['metadata.json'] ?? {}) as { model_name?: unknown; model_version?: unknown };
  return {
    name: typeof meta.model_name === 'string' ? meta.model_name : (planner.bundle?.checkpointId ?? planner.backend),
    version: typeof meta.model_version === 'string' ? meta.model_version : '',
    digest: serving.digest ?? '',
    backend: planner.backend,
  };
}

export async function startRollout(
  config: KernelConfig,
  champion: PlannerInference,
  deps: RolloutDeps,
): Promise<KernelObserver> {
  const settings = config.rollout ?? ROLLOUT_DEFAULTS;
  const serving = await ServingPlanner.create(champion).catch(async (e: unknown) => {
    await champion.dispose();
    throw e;
  });
  const metrics = deps.metrics ?? new PlannerMetrics();
  metrics.setServing(servingInfo(serving));
  const closers: (() => Promise<void>)[] = [];
  let challengers: ChallengerSet | null = null;
  try {
    if (settings.challengers.length > 0) {
      const loaded = await ChallengerSet.load(settings.challengers, champion.config, {
        ...deps,
        configFile: config.file,
        positions: config.positions,
      });
      closers.push(() => loaded.close());
      challengers = loaded;
    }
    if (settings.metrics) {
      const server: MetricsServer = await startMetricsServer(metrics, settings.metrics);
      closers.push(() => server.close());
      deps.logger.info({ url: server.url }, 'metrics endpoint listening');
      deps.onMetricsListening?.(server.url);
    }
    startReloads(config, serving, champion, deps, metrics, settings, closers);
  } catch (e) {
    await Promise.allSettled(closers.map((c) => c()));
    await serving.close();
    throw e;
  }
  return {
    planner: serving,
    async planned(plan) {
      metrics.observePlan(plan);
      const extras: ManifestExtras = { inference: inferenceTimingOf(plan) };
      if (challengers) {
        extras.challengers = await challengers.predict(plan.input);
        for (const c of extras.challengers) metrics.observeChallenger(c);
      }
      return extras;
    },
    finished(manifest) {
      metrics.observeRun(manifest);
    },
    async close() {
      await Promise.allSettled(closers.map((c) => c()));
      await serving.close();
    },
  };
}

/** Where reload outcomes are recorded, one JSON line each (next to the workcells; `report` ignores it). */
export const RELOAD_LOG = 'planner-reloads.jsonl';

/** SIGHUP (when asked) and the bundle watcher (when configured) reload the champion; outcomes are counted and recorded. */
function startReloads(
  config: KernelConfig,
  serving: ServingPlanner,
  champion: PlannerInference,
  deps: RolloutDeps,
  metrics: PlannerMetrics,
  settings: RolloutSection,
  closers: (() => Promise<void>)[],
): void {
  const dir = champion.config.modelPath;
  if (dir === null || !config.planner.enabled || (!settings.watch && !deps.reloadOnSighup)) return;
  const record = (o: ReloadOutcome): void => {
    metrics.observeReload(o.result);
    if (o.result === 'loaded') metrics.setServing(servingInfo(serving));
    try {
      mkdirSync(config.kernel.workcells, { recursive: true });
      appendFileSync(join(config.kernel.workcells, RELOAD_LOG), `${JSON.stringify(o)}\n`);
    } catch (e) {
      deps.logger.warn({ err: String(e) }, `could not record the reload in ${RELOAD_LOG}`);
    }
  };
  const reloader = new BundleReloader(
    serving,
    champion.config,
    { registry: deps.registry, logger: deps.logger, schemas: deps.schemas, isolation: deps.isolation },
    record,
  );
  let pending: Promise<unknown> = Promise.resolve();
  const trigger = (t: 'sighup' | 'watch'): void => {
    pending = reloader.reload(t);
  };
  if (deps.reloadOnSighup) {
    const onHup = (): void => trigger('sighup');
    process.on('SIGHUP', onHup);
    closers.push(async () => {
      process.off('SIGHUP', onHup);
    });
  }
  if (settings.watch) {
    const watcher = new BundleWatcher(dir, settings.watchDebounceMs, () => trigger('watch'), deps.logger);
    closers.push(async () => watcher.close());
  }
  closers.push(async () => {
    await pending;
  });
}
