/**
 * A BackendSession over an onnxruntime InferenceSession: one `session.run` per batch, outputs checked against the
 * action space, a warm-up run at creation, and `dispose()` that releases the native session after in-flight runs.
 */
import type * as Ort from 'onnxruntime-node';
import { HEAD_NAMES, type HeadName } from '../../core/action.js';
import type { ActionSpace } from '../../core/action-space.js';
import type { BackendSession, HeadLogits, InferBatch, InferOptions } from '../../core/backend/plugin.js';
import type { EncodedBatch } from '../../core/encoders/encoder.js';
import { ErrorCodes, PlannerError, describeError } from '../../core/errors.js';
import { ONNX_OUTPUT_MISMATCH, type OnnxSessionPlan } from './onnx-graph-check.js';

export type OrtModule = typeof Ort;

export interface OnnxSessionDeps {
  readonly ort: OrtModule;
  readonly session: Ort.InferenceSession;
  readonly plan: OnnxSessionPlan;
  readonly actionSpace: ActionSpace;
  readonly info: Readonly<Record<string, unknown>>;
  readonly where: string;
}

export async function createOnnxBackendSession(deps: OnnxSessionDeps): Promise<BackendSession> {
  const { ort, session, plan, actionSpace, where } = deps;
  let disposed = false;
  const inFlight = new Set<Promise<unknown>>();

  const runBatch = async (encoded: EncodedBatch): Promise<HeadLogits[]> => {
    const feeds = buildFeeds(ort, plan, encoded, where);
    let results: Ort.InferenceSession.ReturnType;
    try {
      results = await session.run(feeds);
    } catch (cause) {
      throw new PlannerError(ErrorCodes.INFERENCE_FAILED, `${where}: onnxruntime run failed: ${describeError(cause)}`, {
        context: { file: where },
        cause,
      });
    }
    return splitOutputs(results, plan, actionSpace, encoded.size, where);
  };

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
      const run = runBatch(batch.encoded);
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
      await session.release();
    },
  };
  await warmUp(runBatch, plan, where, () => backend.dispose());
  return backend;
}

/** One all-zero (all-padding for tokens) batch item; proves the graph runs and its outputs have the right widths. */
async function warmUp(
  run: (b: EncodedBatch) => Promise<HeadLogits[]>,
  plan: OnnxSessionPlan,
  where: string,
  dispose: () => Promise<void>,
): Promise<void> {
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
    await run(batch);
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

function buildFeeds(
  ort: OrtModule,
  plan: OnnxSessionPlan,
  encoded: EncodedBatch,
  where: string,
): Record<string, Ort.Tensor> {
  const n = encoded.size;
  if (plan.input.kind === 'features') {
    if (encoded.kind !== 'features' || encoded.dIn !== plan.input.dIn || encoded.data.length !== n * encoded.dIn) {
      throw inputMismatch(where, `float features [${n}, ${plan.input.dIn}]`, encoded);
    }
    return { [plan.inputNames[0]]: new ort.Tensor('float32', encoded.data, [n, encoded.dIn]) };
  }
  const L = plan.input.seqLen;
  if (
    encoded.kind !== 'tokens' ||
    encoded.seqLen !== L ||
    encoded.inputIds.length !== n * L ||
    encoded.attentionMask.length !== n * L
  ) {
    throw inputMismatch(where, `int64 tokens [${n}, ${L}]`, encoded);
  }
  return {
    input_ids: new ort.Tensor('int64', encoded.inputIds, [n, L]),
    attention_mask: new ort.Tensor('int64', encoded.attentionMask, [n, L]),
  };
}

function inputMismatch(where: string, wanted: string, got: EncodedBatch): PlannerError {
  const shape =
    got.kind === 'features'
      ? `features of width ${got.dIn}`
      : got.kind === 'tokens'
        ? `tokens of length ${got.seqLen}`
        : 'raw inputs';
  return new PlannerError(
    ErrorCodes.ENCODER_DIM_MISMATCH,
    `${where}: the model takes ${wanted}, the encoder gave ${shape}; use the encoder the bundle declares`,
    { context: { file: where } },
  );
}

function splitOutputs(
  results: Ort.InferenceSession.ReturnType,
  plan: OnnxSessionPlan,
  space: ActionSpace,
  n: number,
  where: string,
): HeadLogits[] {
  const perHead = {} as Record<HeadName, Float32Array>;
  for (const head of HEAD_NAMES) {
    const t = results[plan.outputs[head]];
    const width = space.headSize(head);
    if (!t || t.type !== 'float32' || t.dims.length !== 2 || t.dims[0] !== n || t.dims[1] !== width) {
      const got = t ? `${t.type} [${t.dims.join(', ')}]` : 'nothing';
      throw new PlannerError(
        ONNX_OUTPUT_MISMATCH,
        `${where}: output ${plan.outputs[head]} (${head} head) should be float32 [${n}, ${width}], got ${got}; the model does not match the action space`,
        {
          context: { file: where, head },
        },
      );
    }
    perHead[head] = t.data as Float32Array;
  }
  const out: HeadLogits[] = [];
  for (let row = 0; row < n; row++) {
    const item = {} as Record<HeadName, Float32Array>;
    for (const head of HEAD_NAMES) {
      const w = space.headSize(head);
      item[head] = perHead[head].slice(row * w, (row + 1) * w);
    }
    out.push(item);
  }
  return out;
}
