/**
 * Loading onnxruntime and a session, and what goes into and comes out of one run, shared by the session on the caller's thread and the worker
 * thread (onnx-thread-main.ts): the encoded batch checked against the plan (ENCODER_DIM_MISMATCH), the feeds, one
 * run (INFERENCE_FAILED), each output checked against the action space's head widths (ONNX_OUTPUT_MISMATCH), and
 * the per-head outputs split into per-item logits.
 */
import type * as Ort from 'onnxruntime-node';
import { HEAD_NAMES, type HeadName } from '../../core/action.js';
import type { HeadLogits } from '../../core/backend/plugin.js';
import type { EncodedBatch } from '../../core/encoders/encoder.js';
import { ErrorCodes, PlannerError, describeError } from '../../core/errors.js';
import { ONNX_OUTPUT_MISMATCH, type OnnxSessionPlan } from './onnx-graph-check.js';

export type OrtModule = typeof Ort;
export type HeadWidths = Readonly<Record<HeadName, number>>;
/** One float32 array per head, `[n, width]` row-major, as onnxruntime returns them. */
export type PerHead = Readonly<Record<HeadName, Float32Array>>;

/** onnxruntime-node, imported lazily (its ESM namespace or its CommonJS default); BACKEND_UNAVAILABLE when missing. */
export async function importOrt(): Promise<OrtModule> {
  try {
    const mod = (await import('onnxruntime-node')) as OrtModule & { default?: OrtModule };
    return mod.InferenceSession ? mod : (mod.default as OrtModule);
  } catch (cause) {
    throw new PlannerError(
      ErrorCodes.BACKEND_UNAVAILABLE,
      `onnxruntime-node cannot be loaded (${describeError(cause)}); install it for this platform or use another backend`,
      { cause },
    );
  }
}

/** An InferenceSession from the model bytes; MODEL_LOAD_FAILED when onnxruntime refuses them. */
export async function openSession(
  ort: OrtModule,
  bytes: Uint8Array,
  options: Ort.InferenceSession.SessionOptions,
  where: string,
): Promise<Ort.InferenceSession> {
  try {
    return await ort.InferenceSession.create(bytes, options);
  } catch (cause) {
    throw new PlannerError(
      ErrorCodes.MODEL_LOAD_FAILED,
      `${where}: onnxruntime refused the model (${describeError(cause)}); re-export it`,
      { context: { file: where }, cause },
    );
  }
}

/** Throws ENCODER_DIM_MISMATCH unless `encoded` is what the graph takes. */
export function checkEncoded(plan: OnnxSessionPlan, encoded: EncodedBatch, where: string): void {
  const n = encoded.size;
  if (plan.input.kind === 'features') {
    if (encoded.kind !== 'features' || encoded.dIn !== plan.input.dIn || encoded.data.length !== n * encoded.dIn)
      throw inputMismatch(where, `float features [${n}, ${plan.input.dIn}]`, encoded);
    return;
  }
  const L = plan.input.seqLen;
  if (
    encoded.kind !== 'tokens' ||
    encoded.seqLen !== L ||
    encoded.inputIds.length !== n * L ||
    encoded.attentionMask.length !== n * L
  )
    throw inputMismatch(where, `int64 tokens [${n}, ${L}]`, encoded);
}

/** One run of a checked batch: the per-head outputs, checked. */
export async function runOnnx(
  ort: OrtModule,
  session: Ort.InferenceSession,
  plan: OnnxSessionPlan,
  widths: HeadWidths,
  encoded: EncodedBatch,
  where: string,
): Promise<PerHead> {
  let results: Ort.InferenceSession.ReturnType;
  try {
    results = await session.run(feedsOf(ort, plan, encoded));
  } catch (cause) {
    throw new PlannerError(ErrorCodes.INFERENCE_FAILED, `${where}: onnxruntime run failed: ${describeError(cause)}`, {
      context: { file: where },
      cause,
    });
  }
  return checkOutputs(results, plan, widths, encoded.size, where);
}

function feedsOf(ort: OrtModule, plan: OnnxSessionPlan, encoded: EncodedBatch): Record<string, Ort.Tensor> {
  const n = encoded.size;
  if (encoded.kind === 'features')
    return { [plan.inputNames[0]]: new ort.Tensor('float32', encoded.data, [n, encoded.dIn]) };
  if (encoded.kind !== 'tokens') throw new Error('raw batches never reach onnxruntime (checkEncoded)');
  return {
    input_ids: new ort.Tensor('int64', encoded.inputIds, [n, encoded.seqLen]),
    attention_mask: new ort.Tensor('int64', encoded.attentionMask, [n, encoded.seqLen]),
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

function checkOutputs(
  results: Ort.InferenceSession.ReturnType,
  plan: OnnxSessionPlan,
  widths: HeadWidths,
  n: number,
  where: string,
): PerHead {
  const perHead = {} as Record<HeadName, Float32Array>;
  for (const head of HEAD_NAMES) {
    const t = results[plan.outputs[head]];
    const width = widths[head];
    if (!t || t.type !== 'float32' || t.dims.length !== 2 || t.dims[0] !== n || t.dims[1] !== width) {
      const got = t ? `${t.type} [${t.dims.join(', ')}]` : 'nothing';
      throw new PlannerError(
        ONNX_OUTPUT_MISMATCH,
        `${where}: output ${plan.outputs[head]} (${head} head) should be float32 [${n}, ${width}], got ${got}; the model does not match the action space`,
        { context: { file: where, head } },
      );
    }
    perHead[head] = t.data as Float32Array;
  }
  return perHead;
}

/** Per-item logits (copies) from per-head arrays (`source(head)` is that head's `[n, width]` block). */
export function splitRows(source: (head: HeadName) => Float32Array, widths: HeadWidths, n: number): HeadLogits[] {
  const out: HeadLogits[] = [];
  for (let row = 0; row < n; row++) {
    const item = {} as Record<HeadName, Float32Array>;
    for (const head of HEAD_NAMES) {
      const w = widths[head];
      item[head] = source(head).slice(row * w, (row + 1) * w);
    }
    out.push(item);
  }
  return out;
}

export function headWidths(space: { headSize(head: HeadName): number }): HeadWidths {
  const out = {} as Record<HeadName, number>;
  for (const head of HEAD_NAMES) out[head] = space.headSize(head);
  return out;
}
