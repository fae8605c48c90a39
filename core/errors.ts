/**
 * Typed errors with a stable `code` from the error catalogue (core/error-catalogue.ts). Tests and callers branch on
 * `code`, never on wording. Messages say what failed, where, and what to do.
 */
import { ErrorCodes, type ErrorCode } from './error-catalogue.js';

export { ERROR_CATALOGUE, ErrorCodes, exitClassOf, isErrorCode } from './error-catalogue.js';
export type { CatalogueEntry, ErrorCatalogue, ErrorCode, ExitClass } from './error-catalogue.js';

export interface PlannerErrorOptions {
  /** Context fields: file, keyPath, line, column, backend... Serialisable values only. */
  readonly context?: Readonly<Record<string, unknown>>;
  readonly cause?: unknown;
}

/** Base class of every error this project throws on purpose. `code` is stable and listed in the catalogue. */
export class PlannerError extends Error {
  /** A code of core/error-catalogue.ts; a new code is one line there (an unlisted one does not compile). */
  readonly code: ErrorCode;
  readonly context: Readonly<Record<string, unknown>>;

  constructor(code: ErrorCode, message: string, options: PlannerErrorOptions = {}) {
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

/** Raised when the loaded model can no longer be served (e.g. no isolation worker can load it again): `model_unavailable`. */
export class ModelUnavailableError extends PlannerError {
  constructor(message: string, options: PlannerErrorOptions = {}) {
    super(ErrorCodes.MODEL_UNAVAILABLE, message, options);
    this.name = 'ModelUnavailableError';
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
