/**
 * The isolation pipe's messages as frames (layout: `frame-layout.ts`): an infer request (the encoded tensors as raw
 * words, the large ones through the shared file) and its reply (packed logits, or the child's error). Values cross
 * bit for bit.
 */
import { deserialize, serialize } from 'node:v8';
import { HEAD_NAMES, type HeadName } from '../action.js';
import type { HeadLogits } from '../backend/plugin.js';
import type { EncodedBatch } from '../encoders/encoder.js';
import type { PlannerInputV1 } from '../planner-input-types.js';
import { FrameKind, FrameType } from './frame-layout.js';
import { FrameView, WorkerFrameError } from './frame-reader.js';
import type { FrameWriter } from './frame-writer.js';
import type { SharedFile } from './shared-file.js';
import type { WireError } from './worker-protocol.js';

const HEADS = HEAD_NAMES.length;

/** What a backend that reads more than the tensors gets besides them (the proxy leaves it out for onnx and tfjs). */
export interface RequestExtra {
  readonly inputs: readonly PlannerInputV1[];
  /** A tokens batch's token strings. */
  readonly tokens?: readonly (readonly string[])[];
}

export interface InferCall {
  readonly id: number;
  readonly inputs: readonly PlannerInputV1[];
  readonly encoded: EncodedBatch;
}

export type Reply =
  { readonly id: number; readonly logits: HeadLogits[] } | { readonly id: number; readonly error: WireError };

export function writeInferRequest(
  w: FrameWriter,
  id: number,
  encoded: EncodedBatch,
  withExtra: boolean,
  inputs: readonly PlannerInputV1[],
): Buffer {
  if (encoded.kind === 'features') {
    w.begin(FrameType.Infer, id, encoded.size, encoded.dIn, FrameKind.Features);
    w.words(encoded.data, true);
  } else if (encoded.kind === 'tokens') {
    w.begin(FrameType.Infer, id, encoded.size, encoded.seqLen, FrameKind.Tokens);
    w.words(encoded.inputIds, true);
    w.words(encoded.attentionMask, true);
  } else {
    w.begin(FrameType.Infer, id, encoded.size, 0, FrameKind.Raw);
  }
  if (!withExtra) return w.finish(null);
  const extra: RequestExtra = encoded.kind === 'tokens' ? { inputs, tokens: encoded.tokens } : { inputs };
  return w.finish(serialize(extra));
}

/** `shared`: the worker's shared file, where the large tensor sections are. */
export function readInferRequest(body: Buffer, shared: SharedFile | null): InferCall {
  const f = new FrameView(body, shared);
  if (f.type !== FrameType.Infer) throw new WorkerFrameError(`isolation frame of type ${f.type}, expected a request`);
  const build = tensorsOf(f);
  const bytes = f.extra();
  const extra = bytes.length > 0 ? (deserialize(bytes) as RequestExtra) : null;
  return { id: f.id, inputs: extra?.inputs ?? [], encoded: build(extra) };
}

/** Reads the request's tensor sections; the batch is completed with the extra (a tokens batch's strings). */
function tensorsOf(f: FrameView): (extra: RequestExtra | null) => EncodedBatch {
  const n = f.size * f.dim;
  if (f.kind === FrameKind.Features) {
    const w = f.words(n);
    const data = new Float32Array(w.buffer, w.byteOffset, n);
    return () => ({ kind: 'features', size: f.size, dIn: f.dim, data });
  }
  if (f.kind === FrameKind.Tokens) {
    const ids = f.words(2 * n);
    const mask = f.words(2 * n);
    const inputIds = new BigInt64Array(ids.buffer, ids.byteOffset, n);
    const attentionMask = new BigInt64Array(mask.buffer, mask.byteOffset, n);
    return (e) => ({ kind: 'tokens', size: f.size, seqLen: f.dim, inputIds, attentionMask, tokens: e?.tokens ?? [] });
  }
  if (f.kind === FrameKind.Raw) return () => ({ kind: 'raw', size: f.size });
  throw new WorkerFrameError(`isolation frame: unknown batch kind ${f.kind}`);
}

/** Packed when every head of every item is a Float32Array (so values cross exactly); else v8-serialized as it is. */
export function writeResult(w: FrameWriter, id: number, logits: readonly HeadLogits[]): Buffer {
  const lengths = packedLengths(logits);
  if (!lengths) {
    w.begin(FrameType.ResultSerialized, id, 0, 0, 0);
    return w.finish(serialize(logits));
  }
  w.begin(FrameType.Result, id, logits.length, HEADS, 0);
  w.words(lengths, false);
  for (let h = 0; h < HEADS; h++) {
    const head = HEAD_NAMES[h];
    let total = 0;
    for (let i = 0; i < logits.length; i++) total += lengths[i * HEADS + h];
    w.openDense(total);
    for (let i = 0; i < logits.length; i++) w.part(logits[i][head]);
    w.closeDense();
  }
  return w.finish(null);
}

export function writeError(w: FrameWriter, id: number, error: WireError): Buffer {
  w.begin(FrameType.Error, id, 0, 0, 0);
  return w.finish(Buffer.from(JSON.stringify(error), 'utf8'));
}

export function readReply(body: Buffer): Reply {
  const f = new FrameView(body);
  if (f.type === FrameType.Result) return { id: f.id, logits: unpack(f) };
  if (f.type === FrameType.ResultSerialized) return { id: f.id, logits: deserialize(f.extra()) as HeadLogits[] };
  if (f.type === FrameType.Error) return { id: f.id, error: JSON.parse(f.extra().toString('utf8')) as WireError };
  throw new WorkerFrameError(`isolation frame of type ${f.type}, expected a reply`);
}

/** [item * 4 + head]: each item's length per head; null when some head is not a Float32Array. */
function packedLengths(logits: readonly HeadLogits[]): Int32Array | null {
  if (!Array.isArray(logits)) return null;
  const lengths = new Int32Array(logits.length * HEADS);
  for (let i = 0; i < logits.length; i++) {
    const item = logits[i] as Partial<HeadLogits> | null;
    if (typeof item !== 'object' || item === null) return null;
    for (let h = 0; h < HEADS; h++) {
      const v = item[HEAD_NAMES[h]];
      if (!(v instanceof Float32Array)) return null;
      lengths[i * HEADS + h] = v.length;
    }
  }
  return lengths;
}

/** The items as views into the frame's head sections. */
function unpack(f: FrameView): HeadLogits[] {
  const n = f.size;
  if (f.dim !== HEADS) throw new WorkerFrameError(`isolation frame: ${f.dim} heads, expected ${HEADS}`);
  const lw = f.words(n * HEADS);
  const lengths = new Int32Array(lw.buffer, lw.byteOffset, lw.length);
  const heads: Float32Array[] = [];
  for (let h = 0; h < HEADS; h++) {
    let total = 0;
    for (let i = 0; i < n; i++) {
      const len = lengths[i * HEADS + h];
      if (len < 0) throw new WorkerFrameError('isolation frame: negative logits length');
      total += len;
    }
    const w = f.words(total);
    heads.push(new Float32Array(w.buffer, w.byteOffset, w.length));
  }
  f.extra();
  const at = [0, 0, 0, 0];
  const out: HeadLogits[] = new Array(n);
  for (let i = 0; i < n; i++) {
    const item = {} as Record<HeadName, Float32Array>;
    for (let h = 0; h < HEADS; h++) {
      const len = lengths[i * HEADS + h];
      item[HEAD_NAMES[h]] = heads[h].subarray(at[h], at[h] + len);
      at[h] += len;
    }
    out[i] = item;
  }
  return out;
}
