/**
 * The strict, resolved kernel configuration. Every field is present; `resolveKernelConfig` is the only producer.
 * Paths are absolute (resolved against `root`).
 */
import type { Isolation } from '../inference-config.js';
import type { RolloutSection } from '../rollout/rollout-config.js';

export type PlannerMode = 'enabled' | 'disabled' | 'shadow';

export interface PlannerSection {
  readonly enabled: boolean;
  readonly modelPath: string | null;
  /** Backend name or alias; null means `auto` with a bundle, `heuristic` without one. */
  readonly modelType: string | null;
  readonly fallback: readonly string[];
  readonly confidenceThreshold: number;
  readonly useCalibration: boolean;
  readonly timeoutMs: number;
  /** `process` runs the backend session in child processes (docs/isolation.md). */
  readonly isolation: Isolation;
  readonly poolSize: number;
  readonly loadTimeoutMs: number;
  /** Allow-list of bundle digests (docs/bundle-digest.md): any other bundle is refused; null = no allow-list. */
  readonly trustedDigests: readonly string[] | null;
  readonly caps: { readonly maxCandidates: number; readonly maxMinutes: number; readonly maxIterations: number };
  readonly shadowMode: boolean;
  readonly forceSwarm: string | null;
  readonly enabledJobTypes: readonly string[];
  /** null: every risk level (phase 3); `['low']`: the spec's phase 2. */
  readonly enabledRiskLevels: readonly string[] | null;
  /** Share of issues (sticky by issue id) the planner decides for; 1 = all. */
  readonly rolloutFraction: number;
  readonly plugins: readonly string[];
  readonly backendOptions: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
}

export interface RunnerSection {
  /** argv; a single string is run through `/bin/sh -c`. */
  readonly command: readonly string[];
  readonly shell: boolean;
  /** Real milliseconds per planned second (1 in production; tiny in tests so timeouts happen fast). */
  readonly timeScale: number;
  /** Between SIGTERM and SIGKILL of a process group. */
  readonly killGraceMs: number;
  readonly env: Readonly<Record<string, string>>;
}

/** Where the issue queue lives (docs/scaling.md): in this process (`local`) or on Redis with BullMQ (`redis`). */
export interface QueueSection {
  readonly backend: 'local' | 'redis';
  /** `redis://[user:pass@]HOST:PORT[/DB]`; null with the local backend. */
  readonly url: string | null;
  /** The BullMQ queue name (and the Redis history key prefix). */
  readonly name: string;
  /** A job's lock; a worker silent this long (killed, machine lost) has its job handed to another worker. */
  readonly lockMs: number;
  /** Infrastructure failures (workcell not created, planner crashed) are retried this many times in all. */
  readonly attempts: number;
  /** Run summaries kept in Redis per (universe, job type) for the similar-runs history. */
  readonly historyLimit: number;
  /** On SIGTERM/SIGINT: how long active issues may finish before their runners are killed and the jobs released. */
  readonly shutdownGraceMs: number;
}

export interface KernelSection {
  readonly issues: string | null;
  readonly workcells: string;
  readonly concurrency: number;
  readonly universeId: string;
  readonly universeDefaults: { readonly swarm_id: string | null; readonly objective_id: string | null };
  readonly toolchains: readonly string[] | null;
  /** Used when a budget bin is NA. */
  readonly defaults: { readonly candidates: number; readonly minutes: number; readonly iterations: number | null };
  readonly runner: RunnerSection;
  readonly queue: QueueSection;
}

export interface KernelConfig {
  /** The config file read, or null when defaults were used. */
  readonly file: string | null;
  /** Project root: relative paths of the config resolve against it. */
  readonly root: string;
  readonly planner: PlannerSection;
  readonly kernel: KernelSection;
  /** Where each key of the file is, from the document parsed at load (absent: no file, or a config built in code). */
  readonly positions?: ConfigPositions;
  /** Metrics, challengers, hot reload (`rollout/rollout-config.ts`); absent means all off. */
  readonly rollout?: RolloutSection;
}

/** Positions in the parsed config file, kept from loading so that later errors need not read the file again. */
export interface ConfigPositions {
  /** 1-based line:col of the value (with `key`, the key) at `keyPath`, or of its nearest existing ancestor. */
  of(keyPath: readonly string[], key?: boolean): { line: number; col: number };
}

/** A warning found while resolving (unknown key...), with its position when known. */
export interface ConfigWarning {
  readonly keyPath: string;
  readonly message: string;
  readonly line?: number;
  readonly col?: number;
}
