/**
 * Races a promise against a timer; rejects with INFERENCE_TIMEOUT. The timer is ref'd on purpose: a caller awaiting
 * the result keeps the process alive until it has one (the answer or the timeout), and the timer is cleared as soon as
 * the race settles, so it never holds the process beyond that.
 */
import { InferenceTimeoutError } from './errors.js';
import { timerDelay } from './time.js';

export function withTimeout<T>(
  promise: Promise<T>,
  ms: number,
  what: string,
  controller?: AbortController,
): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      controller?.abort();
      reject(new InferenceTimeoutError(`${what} took longer than ${ms} ms`, { context: { timeoutMs: ms } }));
    }, timerDelay(ms));
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
