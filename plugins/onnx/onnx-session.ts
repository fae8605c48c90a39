/**
 * A BackendSession over onnxruntime: one run per batch, outputs checked against the action space, a warm-up run at
 * creation, and `dispose()` that releases the runner after in-flight runs. The runner is either an
 * InferenceSession on the caller's thread (`callerRunner`) or one in a worker thread (onnx-thread-client.ts).
 */
import type * as Ort from 'onnxruntime-node';
import type { ActionSpace } from '../../core/action-space.js';
import type { BackendSession, HeadLogits, InferBatch, InferOptions } from '../../core/backend/plugin.js';
import type { EncodedBatch } from '../../core/encoders/encoder.js';
import { ErrorCodes, PlannerError, describeError } from '../../core/errors.js';
import type { OnnxSessionPlan } from './onnx-graph-check.js';
import { checkEncoded, headWidths, runOnnx, splitRows, type OrtModule } from './onnx-io.js';

export type { OrtModule } from './onnx-io.js';

/** Runs one checked batch; `release` frees it (called once, after in-flight runs settled). */
export interface OnnxRunner {
  run(encoded: EncodedBatch, signal?: AbortSignal): Promise<HeadLogits[]>;
  release(): Promise<void>;
}

export interface OnnxSessionDeps {
  readonly runner: OnnxRunner;
  readonly plan: OnnxSessionPlan;
  readonly info: Readonly<Record<string, unknown>>;
  readonly where: string;
}

/** The runner of `runIn: caller`: `session.run` on this thread (onnxruntime starts it in a setImmediate). */
export function callerRunner(
  ort: OrtModule,
  session: Ort.InferenceSession,
  plan: OnnxSessionPlan,
  actionSpace: ActionSpace,
  where: string,
): OnnxRunner {
  const widths = headWidths(actionSpace);
  return {
    async run(encoded) {
      const perHead = await runOnnx(ort, session, plan, widths, encoded, where);
      return splitRows((head) => perHead[head], widths, encoded.size);
    },
    release: () => session.release(),
  };
}

export async function createOnnxBackendSession(deps: OnnxSessionDeps): Promise<BackendSession> {
  const { runner, plan, where } = deps;
  let disposed = false;
  const inFlight = new Set<Promise<unknown>>();

  const backend: BackendSession = {
    backend: 'onnx',
    input: plan.input,
    info: deps.info,
    async infer(batch: InferBatch, options?: InferOptions): Promise<HeadLogits[]> {
      if (disposed)
        throw new PlannerError(
          ErrorCodes.SESSION_DISPOSED,
          `${where}: the ONNX session was disposed; create a new one`,
        );
      if (options?.signal?.aborted)
        throw new PlannerError(ErrorCodes.INFERENCE_FAILED, `${where}: inference aborted before it started`);
      if (batch.encoded.size === 0) return [];
      checkEncoded(plan, batch.encoded, where);
      const run = runner.run(batch.encoded, options?.signal);
      inFlight.add(run);
      try {
        return await run;
      } finally {
        inFlight.delete(run);
      }
    },
    async dispose(): Promise<void> {
      if (disposed) return;
      disposed = true;
      await Promise.allSettled([...inFlight]);
      await runner.release();
    },
  };
  await warmUp(runner, plan, where, () => backend.dispose());
  return backend;
}

/** One all-zero (all-padding for tokens) batch item; proves the graph runs and its outputs have the right widths. */
async function warmUp(runner: OnnxRunner, plan: OnnxSessionPlan, where: string, dispose: () => Promise<void>) {
  const batch: EncodedBatch =
    plan.input.kind === 'features'
      ? { kind: 'features', size: 1, dIn: plan.input.dIn, data: new Float32Array(plan.input.dIn) }
      : {
          kind: 'tokens',
          size: 1,
          seqLen: plan.input.seqLen,
          inputIds: new BigInt64Array(plan.input.seqLen),
          attentionMask: new BigInt64Array(plan.input.seqLen),
          tokens: [[]],
        };
  try {
    await runner.run(batch);
  } catch (cause) {
    await dispose().catch(() => undefined);
    const code =
      cause instanceof PlannerError && cause.code !== ErrorCodes.INFERENCE_FAILED
        ? cause.code
        : ErrorCodes.MODEL_LOAD_FAILED;
    throw new PlannerError(code, `${where}: warm-up run failed, the model is refused: ${describeError(cause)}`, {
      context: { file: where },
      cause,
    });
  }
}
