/**
 * InferenceConfig: every default of the inference path, resolved in one function into a strict type.
 */
import { ErrorCodes, PlannerError } from './errors.js';
import { MAX_TIMER_MS } from './time.js';

export interface SafetyCaps {
  readonly maxCandidates: number;
  readonly maxMinutes: number;
  readonly maxIterations: number;
}

export interface InferenceConfig {
  /** Bundle directory; null means no model (the heuristic answers). */
  readonly modelPath: string | null;
  /** Backend name or alias (`onnx`, `torch`, `tfjs`, `heuristic`, a plugin's name), or `auto`. */
  readonly modelType: string;
  /** Backends tried after `modelType`, in order; the heuristic is always last. */
  readonly fallback: readonly string[];
  readonly confidenceThreshold: number;
  readonly useCalibration: boolean;
  readonly timeoutMs: number;
  /** Load (init + session + warm-up) time limit. */
  readonly loadTimeoutMs: number;
  readonly caps: SafetyCaps;
  /** Per-backend options, e.g. `{ onnx: { intraOpNumThreads: 1 } }`. */
  readonly backendOptions: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
  /** Largest bundle file the loaders read. */
  readonly maxFileBytes: number;
  /** `in-process` (default, lowest latency) or `process` (sessions in child processes that can be killed on timeout). */
  readonly isolation: Isolation;
  /** Child processes in the pool when isolation is `process`. */
  readonly poolSize: number;
  /** Kernel-side allow-list of bundle digests (docs/bundle-digest.md); when set, any other bundle is BUNDLE_UNTRUSTED. */
  readonly trustedDigests?: readonly string[];
}

export type Isolation = 'in-process' | 'process';

export interface InferenceConfigInput {
  readonly modelPath?: string | null;
  readonly modelType?: string;
  readonly fallback?: string | readonly string[];
  readonly confidenceThreshold?: number;
  readonly useCalibration?: boolean;
  readonly timeoutMs?: number;
  readonly loadTimeoutMs?: number;
  readonly caps?: Partial<SafetyCaps>;
  readonly backendOptions?: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
  readonly maxFileBytes?: number;
  readonly isolation?: Isolation;
  readonly poolSize?: number;
  readonly trustedDigests?: readonly string[];
}

export const INFERENCE_DEFAULTS: InferenceConfig = {
  modelPath: null,
  modelType: 'onnx',
  fallback: ['heuristic'],
  confidenceThreshold: 0.6,
  useCalibration: true,
  timeoutMs: 100,
  loadTimeoutMs: 30_000,
  caps: { maxCandidates: 5, maxMinutes: 120, maxIterations: 10 },
  backendOptions: {},
  maxFileBytes: 256 * 1024 * 1024,
  isolation: 'in-process',
  poolSize: 1,
};

export function resolveInferenceConfig(input: InferenceConfigInput = {}): InferenceConfig {
  const d = INFERENCE_DEFAULTS;
  const fallback =
    input.fallback === undefined
      ? d.fallback
      : typeof input.fallback === 'string'
        ? splitList(input.fallback)
        : [...input.fallback];
  const config: InferenceConfig = {
    modelPath: input.modelPath ?? d.modelPath,
    modelType: input.modelType ?? (input.modelPath ? d.modelType : 'heuristic'),
    fallback,
    confidenceThreshold: input.confidenceThreshold ?? d.confidenceThreshold,
    useCalibration: input.useCalibration ?? d.useCalibration,
    timeoutMs: input.timeoutMs ?? d.timeoutMs,
    loadTimeoutMs: input.loadTimeoutMs ?? d.loadTimeoutMs,
    caps: { ...d.caps, ...stripUndefined(input.caps ?? {}) },
    backendOptions: input.backendOptions ?? d.backendOptions,
    maxFileBytes: input.maxFileBytes ?? d.maxFileBytes,
    isolation: input.isolation ?? d.isolation,
    poolSize: input.poolSize ?? d.poolSize,
    ...(input.trustedDigests ? { trustedDigests: [...input.trustedDigests] } : {}),
  };
  check(
    config.confidenceThreshold >= 0 && config.confidenceThreshold <= 1,
    'confidenceThreshold',
    'a number in [0, 1]',
    config.confidenceThreshold,
  );
  check(
    config.timeoutMs > 0 && config.timeoutMs <= MAX_TIMER_MS,
    'timeoutMs',
    `a positive number of milliseconds ≤ ${MAX_TIMER_MS}`,
    config.timeoutMs,
  );
  check(
    config.loadTimeoutMs > 0 && config.loadTimeoutMs <= MAX_TIMER_MS,
    'loadTimeoutMs',
    `a positive number of milliseconds ≤ ${MAX_TIMER_MS}`,
    config.loadTimeoutMs,
  );
  check(
    config.isolation === 'in-process' || config.isolation === 'process',
    'isolation',
    '"in-process" or "process"',
    config.isolation,
  );
  check(
    Number.isInteger(config.poolSize) && config.poolSize >= 1 && config.poolSize <= 64,
    'poolSize',
    'an integer in [1, 64]',
    config.poolSize,
  );
  for (const [k, v] of Object.entries(config.caps))
    check(Number.isInteger(v) && v >= 1, `caps.${k}`, 'an integer ≥ 1', v);
  return config;
}

function splitList(text: string): string[] {
  return text
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

function stripUndefined<T extends object>(obj: T): Partial<T> {
  return Object.fromEntries(Object.entries(obj).filter(([, v]) => v !== undefined)) as Partial<T>;
}

function check(ok: boolean, key: string, expected: string, got: unknown): void {
  if (!ok) {
    throw new PlannerError(
      ErrorCodes.CONFIG_INVALID,
      `inference config: "${key}" must be ${expected}, got ${JSON.stringify(got)}`,
      { context: { keyPath: key } },
    );
  }
}
