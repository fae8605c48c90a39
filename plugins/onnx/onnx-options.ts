/**
 * `planner.backend_options.onnx`: thread counts and where the session runs. Each bad value is CONFIG_INVALID with
 * its key path.
 */
import { ErrorCodes, PlannerError } from '../../core/errors.js';

export interface OnnxThreads {
  readonly intraOpNumThreads: number;
  readonly interOpNumThreads: number;
}

/**
 * `caller`: onnxruntime's `session.run` on the thread that calls `infer` (the event loop's; it blocks it for the
 * run). `worker`: the session lives in a worker thread of its own and the caller's thread is free during the run
 * (the planner hashes its inputs meanwhile); costs a thread start and a second copy of the weights at load.
 */
export type OnnxRunIn = 'caller' | 'worker';
export const ONNX_RUN_IN: readonly OnnxRunIn[] = ['caller', 'worker'];
export const DEFAULT_ONNX_RUN_IN: OnnxRunIn = 'caller';

function invalid(key: string, wanted: string, got: unknown): PlannerError {
  return new PlannerError(
    ErrorCodes.CONFIG_INVALID,
    `planner.backend_options.onnx.${key} must be ${wanted}, got ${JSON.stringify(got)}`,
    { context: { keyPath: `planner.backend_options.onnx.${key}` } },
  );
}

/** An integer option from `min` to `max`; `fallback` when it is not set. */
function integerOption(
  options: Readonly<Record<string, unknown>>,
  key: string,
  min: number,
  max: number,
  fallback: number,
): number {
  const v = options[key];
  if (v === undefined) return fallback;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max)
    throw invalid(key, `an integer from ${min} to ${max}`, v);
  return v;
}

/** Thread counts from `planner.backend_options.onnx`; default 1 each. */
export function threadOptions(options: Readonly<Record<string, unknown>>): OnnxThreads {
  const read = (key: keyof OnnxThreads): number => integerOption(options, key, 1, 256, 1);
  return { intraOpNumThreads: read('intraOpNumThreads'), interOpNumThreads: read('interOpNumThreads') };
}

/** `runIn` from `planner.backend_options.onnx`; default DEFAULT_ONNX_RUN_IN. */
export function runInOption(options: Readonly<Record<string, unknown>>): OnnxRunIn {
  const v = options.runIn;
  if (v === undefined) return DEFAULT_ONNX_RUN_IN;
  if (typeof v !== 'string' || !(ONNX_RUN_IN as readonly string[]).includes(v))
    throw invalid('runIn', `one of ${ONNX_RUN_IN.map((m) => `"${m}"`).join(', ')}`, v);
  return v as OnnxRunIn;
}

/**
 * Busy-waiting of `runIn: worker`, µs. `threadSpinUs`: after a run the worker thread polls for the next request this
 * long before it sleeps in `Atomics.wait` (it spends its own core meanwhile). `callerSpinUs`: once the caller's thread
 * has nothing left to do for a call (after the planner's overlapped hashing), it polls for the result this long
 * before it waits on the event loop; it blocks that thread's event loop meanwhile, as `runIn: caller` does for the
 * whole run. A sleeping thread on a VM takes tens of µs to wake; a polling one sees the other side at once.
 */
export interface OnnxSpin {
  readonly threadSpinUs: number;
  readonly callerSpinUs: number;
}

export const DEFAULT_ONNX_SPIN: OnnxSpin = { threadSpinUs: 2000, callerSpinUs: 1000 };
export const MAX_SPIN_US = 100_000;

/** Busy-wait times from `planner.backend_options.onnx` (used by `runIn: worker`); integers from 0 to MAX_SPIN_US. */
export function spinOptions(options: Readonly<Record<string, unknown>>): OnnxSpin {
  const read = (key: keyof OnnxSpin): number => integerOption(options, key, 0, MAX_SPIN_US, DEFAULT_ONNX_SPIN[key]);
  return { threadSpinUs: read('threadSpinUs'), callerSpinUs: read('callerSpinUs') };
}
