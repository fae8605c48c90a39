/**
 * The rollout settings of the kernel config, resolved: `kernel.metrics`, `planner.model.watch`,
 * `planner.model.watch_debounce_ms` and `planner.challengers[]`. Paths resolve against the project root.
 */
import { resolve } from 'node:path';
import type { Isolation } from '../inference-config.js';

export interface MetricsSettings {
  readonly port: number;
  readonly host: string;
}

export interface ChallengerSettings {
  readonly name: string;
  /** Absolute bundle directory. */
  readonly path: string;
  /** Backend name; null means `auto`. */
  readonly type: string | null;
  /** Longest the champion's issue waits for this challenger, in ms. */
  readonly budgetMs: number;
  readonly timeoutMs: number | null;
  readonly confidenceThreshold: number | null;
  readonly isolation: Isolation | null;
  readonly backendOptions: Readonly<Record<string, unknown>>;
  /** Index in `planner.challengers`, for error positions. */
  readonly index: number;
}

export interface RolloutSection {
  readonly metrics: MetricsSettings | null;
  readonly watch: boolean;
  readonly watchDebounceMs: number;
  readonly challengers: readonly ChallengerSettings[];
}

export const ROLLOUT_DEFAULTS: RolloutSection = { metrics: null, watch: false, watchDebounceMs: 500, challengers: [] };
export const DEFAULT_CHALLENGER_BUDGET_MS = 200;
export const DEFAULT_METRICS_HOST = '127.0.0.1';

type Raw = Record<string, unknown>;

function obj(value: unknown): Raw {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Raw) : {};
}

/** From a schema-valid raw config object. */
export function resolveRollout(raw: Raw, root: string): RolloutSection {
  const planner = obj(raw.planner);
  const model = obj(planner.model);
  const metricsRaw = obj(raw.kernel).metrics;
  const metrics =
    metricsRaw && typeof obj(metricsRaw).port === 'number'
      ? {
          port: obj(metricsRaw).port as number,
          host: typeof obj(metricsRaw).host === 'string' ? (obj(metricsRaw).host as string) : DEFAULT_METRICS_HOST,
        }
      : null;
  const list = Array.isArray(planner.challengers) ? planner.challengers : [];
  return {
    metrics,
    watch: model.watch === true,
    watchDebounceMs:
      typeof model.watch_debounce_ms === 'number' ? model.watch_debounce_ms : ROLLOUT_DEFAULTS.watchDebounceMs,
    challengers: list.map((c, index) => challengerOf(obj(c), index, root)),
  };
}

function challengerOf(c: Raw, index: number, root: string): ChallengerSettings {
  const o = obj(c.options);
  const numOrNull = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
  return {
    name: String(c.name),
    path: resolve(root, String(c.path)),
    type: typeof c.type === 'string' ? c.type : null,
    budgetMs: numOrNull(o.budget_ms) ?? DEFAULT_CHALLENGER_BUDGET_MS,
    timeoutMs: numOrNull(o.timeout_ms),
    confidenceThreshold: numOrNull(o.confidence_threshold),
    isolation: o.isolation === 'process' || o.isolation === 'in-process' ? o.isolation : null,
    backendOptions: obj(o.backend_options),
    index,
  };
}
