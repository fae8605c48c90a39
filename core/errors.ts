/**
 * Typed errors with a stable `code`. Tests and callers branch on `code`, never on wording.
 * Messages say what failed, where, and what to do.
 */

export const ErrorCodes = {
  // configuration and usage
  CONFIG_INVALID: 'CONFIG_INVALID',
  CONFIG_PARSE: 'CONFIG_PARSE',
  USAGE: 'USAGE',
  INPUT_INVALID: 'INPUT_INVALID',
  // bundles
  BUNDLE_NOT_FOUND: 'BUNDLE_NOT_FOUND',
  BUNDLE_FILE_MISSING: 'BUNDLE_FILE_MISSING',
  BUNDLE_JSON_INVALID: 'BUNDLE_JSON_INVALID',
  BUNDLE_SCHEMA: 'BUNDLE_SCHEMA',
  BUNDLE_PATH_ESCAPE: 'BUNDLE_PATH_ESCAPE',
  BUNDLE_FILE_TOO_LARGE: 'BUNDLE_FILE_TOO_LARGE',
  BUNDLE_SHAPE_MISMATCH: 'BUNDLE_SHAPE_MISMATCH',
  BUNDLE_CHECKSUM_MISMATCH: 'BUNDLE_CHECKSUM_MISMATCH',
  ACTION_SPACE_INVALID: 'ACTION_SPACE_INVALID',
  CALIBRATION_INVALID: 'CALIBRATION_INVALID',
  // encoders
  ENCODER_INVALID_INPUT: 'ENCODER_INVALID_INPUT',
  ENCODER_DIM_MISMATCH: 'ENCODER_DIM_MISMATCH',
  VOCAB_INVALID: 'VOCAB_INVALID',
  // backends
  BACKEND_UNKNOWN: 'BACKEND_UNKNOWN',
  BACKEND_INIT_FAILED: 'BACKEND_INIT_FAILED',
  BACKEND_UNAVAILABLE: 'BACKEND_UNAVAILABLE',
  BACKEND_DUPLICATE: 'BACKEND_DUPLICATE',
  PLUGIN_LOAD_FAILED: 'PLUGIN_LOAD_FAILED',
  PLUGIN_INVALID: 'PLUGIN_INVALID',
  MODEL_LOAD_FAILED: 'MODEL_LOAD_FAILED',
  SESSION_DISPOSED: 'SESSION_DISPOSED',
  // inference
  INFERENCE_FAILED: 'INFERENCE_FAILED',
  INFERENCE_TIMEOUT: 'INFERENCE_TIMEOUT',
  LOGITS_INVALID: 'LOGITS_INVALID',
  // records and io
  RECORD_INVALID: 'RECORD_INVALID',
  IO_FAILED: 'IO_FAILED',
  // distributed queue (kernel.queue.backend: redis)
  QUEUE_UNAVAILABLE: 'QUEUE_UNAVAILABLE',
  QUEUE_JOB_FAILED: 'QUEUE_JOB_FAILED',
} as const;

export type ErrorCode = (typeof ErrorCodes)[keyof typeof ErrorCodes];

export interface PlannerErrorOptions {
  /** Context fields: file, keyPath, line, column, backend... Serialisable values only. */
  readonly context?: Readonly<Record<string, unknown>>;
  readonly cause?: unknown;
}

/** Base class of every error this project throws on purpose. `code` is stable; plugins may add their own codes. */
export class PlannerError extends Error {
  readonly code: string;
  readonly context: Readonly<Record<string, unknown>>;

  constructor(code: ErrorCode | (string & {}), message: string, options: PlannerErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'PlannerError';
    this.code = code;
    this.context = options.context ?? {};
  }

  toJSON(): Record<string, unknown> {
    return { name: this.name, code: this.code, message: this.message, ...this.context };
  }
}

/** Raised when a backend returns logits that cannot be decoded (wrong length, NaN, Inf). */
export class InvalidLogitsError extends PlannerError {
  constructor(message: string, options: PlannerErrorOptions = {}) {
    super(ErrorCodes.LOGITS_INVALID, message, options);
    this.name = 'InvalidLogitsError';
  }
}

/** Raised when inference does not finish within its time budget. */
export class InferenceTimeoutError extends PlannerError {
  constructor(message: string, options: PlannerErrorOptions = {}) {
    super(ErrorCodes.INFERENCE_TIMEOUT, message, options);
    this.name = 'InferenceTimeoutError';
  }
}

export function isPlannerError(value: unknown): value is PlannerError {
  return value instanceof PlannerError;
}

/** Short, stable one-liner of any thrown value, for logs and attempt lists. */
export function describeError(value: unknown): string {
  if (value instanceof PlannerError) return `${value.code}: ${value.message}`;
  if (value instanceof Error) return `${value.name}: ${value.message}`;
  return String(value);
}
