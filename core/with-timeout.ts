/** Races a promise against a timer; the timer never keeps the process alive. Rejects with INFERENCE_TIMEOUT. */
import { InferenceTimeoutError } from './errors.js';

export function withTimeout<T>(promise: Promise<T>, ms: number, what: string, controller?: AbortController): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      controller?.abort();
      reject(new InferenceTimeoutError(`${what} took longer than ${ms} ms`, { context: { timeoutMs: ms } }));
    }, ms);
    timer.unref?.();
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
