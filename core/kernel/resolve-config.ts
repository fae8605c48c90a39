/**
 * Every kernel default resolved in one function, from a schema-valid raw config object into the strict KernelConfig.
 * Path rule: `root` is the project root; relative paths (`planner.model.path`, `kernel.issues`, `kernel.workcells`)
 * resolve against it. `root` itself is relative to the config file's directory; without it the root is the parent of
 * `.cyntra/` when the file lives there (the spec's `.cyntra/config.yaml`), else the file's directory. With no file,
 * the root is the working directory.
 */
import { basename, dirname, resolve } from 'node:path';
import { KERNEL_DEFAULTS, PLANNER_DEFAULTS } from './config-defaults.js';
import type {
  KernelConfig,
  KernelSection,
  PlannerSection,
  QueueSection,
  RunnerSection,
} from './kernel-config-types.js';
import { resolveRollout } from '../rollout/rollout-config.js';

type Raw = Record<string, unknown>;

export function resolveKernelConfig(raw: Raw, file: string | null, cwd: string): KernelConfig {
  const root = rootOf(raw, file, cwd);
  return {
    file,
    root,
    planner: resolvePlanner(obj(raw.planner), root),
    kernel: resolveKernel(obj(raw.kernel), root),
    rollout: resolveRollout(raw, root),
  };
}

export function rootOf(raw: Raw, file: string | null, cwd: string): string {
  if (file === null) return resolve(cwd);
  const dir = dirname(resolve(cwd, file));
  if (typeof raw.root === 'string') return resolve(dir, raw.root);
  return basename(dir) === '.cyntra' ? dirname(dir) : dir;
}

function resolvePlanner(p: Raw, root: string): PlannerSection {
  const d = PLANNER_DEFAULTS;
  const model = obj(p.model);
  const inference = obj(p.inference);
  const safety = obj(p.safety);
  const flags = obj(p.flags);
  const path = typeof model.path === 'string' && model.path.length > 0 ? resolve(root, model.path) : null;
  return {
    enabled: bool(p.enabled, d.enabled),
    modelPath: path,
    modelType: typeof model.type === 'string' ? model.type : d.modelType,
    fallback: fallbackList(model.fallback, d.fallback),
    confidenceThreshold: num(inference.confidence_threshold, d.confidenceThreshold),
    useCalibration: bool(inference.use_calibration, d.useCalibration),
    timeoutMs: num(inference.timeout_ms, d.timeoutMs),
    isolation:
      inference.isolation === 'process' || inference.isolation === 'in-process' ? inference.isolation : d.isolation,
    poolSize: num(inference.pool_size, d.poolSize),
    loadTimeoutMs: num(inference.load_timeout_ms, d.loadTimeoutMs),
    trustedDigests: Array.isArray(model.trusted_digests) ? (model.trusted_digests as string[]) : d.trustedDigests,
    caps: {
      maxCandidates: num(safety.max_candidates_cap, d.caps.maxCandidates),
      maxMinutes: num(safety.max_minutes_cap, d.caps.maxMinutes),
      maxIterations: num(safety.max_iterations_cap, d.caps.maxIterations),
    },
    shadowMode: bool(flags.shadow_mode, d.shadowMode),
    forceSwarm: typeof flags.force_swarm === 'string' ? flags.force_swarm : d.forceSwarm,
    enabledJobTypes: Array.isArray(flags.enabled_job_types) ? (flags.enabled_job_types as string[]) : d.enabledJobTypes,
    enabledRiskLevels: Array.isArray(flags.enabled_risk_levels)
      ? (flags.enabled_risk_levels as string[])
      : d.enabledRiskLevels,
    rolloutFraction: num(flags.rollout_fraction, d.rolloutFraction),
    plugins: Array.isArray(p.plugins) ? (p.plugins as string[]) : d.plugins,
    backendOptions: (p.backend_options as PlannerSection['backendOptions']) ?? d.backendOptions,
  };
}

function resolveKernel(k: Raw, root: string): KernelSection {
  const d = KERNEL_DEFAULTS;
  const ud = obj(k.universe_defaults);
  const defaults = obj(k.defaults);
  return {
    issues: typeof k.issues === 'string' ? resolve(root, k.issues) : null,
    workcells: resolve(root, typeof k.workcells === 'string' ? k.workcells : d.workcells),
    concurrency: num(k.concurrency, d.concurrency),
    universeId: typeof k.universe_id === 'string' ? k.universe_id : d.universeId,
    universeDefaults: {
      swarm_id: typeof ud.swarm_id === 'string' ? ud.swarm_id : d.universeDefaults.swarm_id,
      objective_id: typeof ud.objective_id === 'string' ? ud.objective_id : d.universeDefaults.objective_id,
    },
    toolchains: Array.isArray(k.toolchains) ? (k.toolchains as string[]) : d.toolchains,
    defaults: {
      candidates: num(defaults.candidates, d.defaults.candidates),
      minutes: num(defaults.minutes, d.defaults.minutes),
      iterations:
        typeof defaults.iterations === 'number'
          ? defaults.iterations
          : defaults.iterations === null
            ? null
            : d.defaults.iterations,
    },
    runner: resolveRunner(obj(k.runner)),
    queue: resolveQueue(obj(k.queue)),
  };
}

function resolveRunner(r: Raw): RunnerSection {
  const d = KERNEL_DEFAULTS.runner;
  const command =
    typeof r.command === 'string' ? [r.command] : Array.isArray(r.command) ? (r.command as string[]) : d.command;
  return {
    command,
    shell: typeof r.command === 'string',
    timeScale: num(r.time_scale, d.timeScale),
    killGraceMs: num(r.kill_grace_ms, d.killGraceMs),
    env: (r.env as Record<string, string>) ?? d.env,
  };
}

function resolveQueue(q: Raw): QueueSection {
  const d = KERNEL_DEFAULTS.queue;
  const url = typeof q.url === 'string' ? q.url : d.url;
  return {
    backend: q.backend === 'redis' || q.backend === 'local' ? q.backend : url !== null ? 'redis' : d.backend,
    url,
    name: typeof q.name === 'string' ? q.name : d.name,
    lockMs: num(q.lock_ms, d.lockMs),
    attempts: num(q.attempts, d.attempts),
    historyLimit: num(q.history_limit, d.historyLimit),
    shutdownGraceMs: num(q.shutdown_grace_ms, d.shutdownGraceMs),
  };
}

function fallbackList(value: unknown, dflt: readonly string[]): readonly string[] {
  if (Array.isArray(value)) return value as string[];
  if (typeof value === 'string')
    return value
      .split(',')
      .map((s) => s.trim())
      .filter((s) => s.length > 0);
  return dflt;
}

function obj(value: unknown): Raw {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Raw) : {};
}

function bool(value: unknown, dflt: boolean): boolean {
  return typeof value === 'boolean' ? value : dflt;
}

function num(value: unknown, dflt: number): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : dflt;
}
