/** The OnnxRunner of `runIn: worker`: an OnnxThread started with the model bytes, closed on release. */
import type { OnnxRunner } from './onnx-session.js';
import { OnnxThread } from './onnx-thread-client.js';
import type { ThreadInit } from './onnx-thread-protocol.js';

/** The runner's thread, for tests and diagnostics (`terminate()` simulates a crash). */
export const ONNX_THREAD: unique symbol = Symbol('cyntra.onnx.thread');

export type OnnxThreadRunner = OnnxRunner & { readonly [ONNX_THREAD]: OnnxThread };

export async function workerRunner(
  spec: Omit<ThreadInit, 'ctl' | 'input' | 'output'>,
  callerSpinUs = 0,
): Promise<OnnxThreadRunner> {
  const thread = await OnnxThread.start(spec, callerSpinUs);
  return {
    run: (encoded, signal) => thread.run(encoded, signal),
    release: () => thread.close(),
    [ONNX_THREAD]: thread,
  };
}

/** The worker thread behind a session made with `runIn: worker`; null for any other session. */
export function onnxThreadOf(session: object): OnnxThread | null {
  return (session as Partial<Record<typeof ONNX_THREAD, OnnxThread>>)[ONNX_THREAD] ?? null;
}

/** Marks `session` with its runner's thread (not enumerable: `info` and JSON views stay as they were). */
export function attachThread<T extends object>(session: T, runner: OnnxRunner): T {
  const thread = (runner as Partial<OnnxThreadRunner>)[ONNX_THREAD];
  if (thread) Object.defineProperty(session, ONNX_THREAD, { value: thread });
  return session;
}
