/**
 * Reads what the loader and lint need from an ONNX ModelProto without running it: IR version, opsets, graph
 * inputs/outputs (name, element type, dims with symbolic names), initializers, every tensor that uses external
 * data (data_location = EXTERNAL, with its `location`) and every inline float tensor holding NaN/Inf. Also checks
 * that raw initializer sizes match their dims, so a bit-flipped dim is caught here before the runtime allocates
 * anything. Bad bytes → ONNX_PROTO_INVALID.
 */
import { firstNonFinite } from './onnx-weights.js';
import {
  lastInt,
  lastString,
  messages,
  protoError,
  readFields,
  readInts,
  strings,
  type ProtoField,
} from './protobuf-reader.js';

export { ONNX_PROTO_INVALID } from './protobuf-reader.js';

export type OnnxDimInfo = number | string | null;

export interface OnnxValueInfo {
  readonly name: string;
  /** TensorProto.DataType, or null for a non-tensor type. */
  readonly elemType: number | null;
  /** Null when the graph states no shape. */
  readonly dims: readonly OnnxDimInfo[] | null;
}

export interface OnnxTensorInfo {
  readonly name: string;
  readonly dataType: number;
  readonly dims: readonly number[];
  /** `location` of external data, or null when the data is inline. */
  readonly externalLocation: string | null;
}

export interface OnnxModelInfo {
  readonly irVersion: number;
  readonly producerName: string;
  readonly opsets: ReadonlyArray<{ readonly domain: string; readonly version: number }>;
  /** Graph inputs that are not initializers. */
  readonly inputs: readonly OnnxValueInfo[];
  readonly outputs: readonly OnnxValueInfo[];
  readonly initializers: readonly OnnxTensorInfo[];
  /** Every tensor (initializers, Constant attributes, subgraphs) stored as external data. */
  readonly externalData: ReadonlyArray<{ readonly tensor: string; readonly location: string }>;
  /** Inline float tensors holding NaN or ±Inf: the tensor name and the index of its first such element. */
  readonly nonFinite: ReadonlyArray<{ readonly tensor: string; readonly index: number }>;
  readonly nodeCount: number;
}

/** Bytes per element of fixed-size tensor types, for the raw_data size check. */
const ELEM_BYTES: Readonly<Record<number, number>> = {
  1: 4,
  2: 1,
  3: 1,
  4: 2,
  5: 2,
  6: 4,
  7: 8,
  9: 1,
  10: 2,
  11: 8,
  12: 4,
  13: 8,
  16: 2,
};
const MAX_GRAPH_DEPTH = 8;

export function readOnnxModel(bytes: Uint8Array, where = 'model.onnx'): OnnxModelInfo {
  const model = readFields(bytes, where);
  const irVersion = lastInt(model, 1, where);
  const graphs = messages(model, 7, where);
  if (irVersion === null || irVersion < 1) throw protoError('ModelProto has no ir_version', where);
  if (graphs.length !== 1) throw protoError(`ModelProto holds ${graphs.length} graphs, expected 1`, where);
  const opsets = messages(model, 8, where).map((b) => {
    const f = readFields(b, where);
    return { domain: lastString(f, 1, where) ?? '', version: lastInt(f, 2, where) ?? 0 };
  });
  if (opsets.length === 0) throw protoError('ModelProto has no opset_import', where);
  const acc: GraphAcc = { externalData: [], nonFinite: [], nodeCount: 0 };
  const graph = readGraph(graphs[0], where, acc, 0);
  return { irVersion, producerName: lastString(model, 2, where) ?? '', opsets, ...graph, ...acc };
}

interface GraphAcc {
  externalData: Array<{ tensor: string; location: string }>;
  nonFinite: Array<{ tensor: string; index: number }>;
  nodeCount: number;
}

function readGraph(bytes: Uint8Array, where: string, acc: GraphAcc, depth: number) {
  if (depth > MAX_GRAPH_DEPTH) throw protoError(`subgraphs nest deeper than ${MAX_GRAPH_DEPTH}`, where);
  const g = readFields(bytes, where);
  const initializers = messages(g, 5, where).map((t) => readTensor(t, where, acc));
  const initNames = new Set(initializers.map((t) => t.name));
  for (const node of messages(g, 1, where)) readNode(node, where, acc, depth);
  const inputs = messages(g, 11, where)
    .map((v) => readValueInfo(v, where))
    .filter((v) => !initNames.has(v.name));
  const outputs = messages(g, 12, where).map((v) => readValueInfo(v, where));
  return { inputs, outputs, initializers };
}

function readNode(bytes: Uint8Array, where: string, acc: GraphAcc, depth: number): void {
  const n = readFields(bytes, where);
  acc.nodeCount++;
  if (strings(n, 4, where).length !== 1) throw protoError('a NodeProto has no op_type', where);
  for (const attr of messages(n, 5, where)) {
    const a = readFields(attr, where);
    for (const t of [...messages(a, 5, where), ...messages(a, 10, where)]) readTensor(t, where, acc);
    for (const sub of [...messages(a, 6, where), ...messages(a, 11, where)]) readGraph(sub, where, acc, depth + 1);
  }
}

function readTensor(bytes: Uint8Array, where: string, acc: GraphAcc): OnnxTensorInfo {
  const t = readFields(bytes, where);
  const name = lastString(t, 8, where) ?? '';
  const dims = readInts(t, 1, where);
  const dataType = lastInt(t, 2, where) ?? 0;
  if (dims.some((d) => d < 0 || !Number.isSafeInteger(d)))
    throw protoError(`tensor "${name}" has an invalid dim ${dims.join('x')}`, where);
  let externalLocation: string | null = null;
  if (lastInt(t, 14, where) === 1) {
    externalLocation = externalEntry(t, where, 'location') ?? '';
    acc.externalData.push({ tensor: name, location: externalLocation });
  } else {
    checkRawSize(t, name, dims, dataType, where);
    const at = firstNonFinite(t, dataType);
    if (at !== null) acc.nonFinite.push({ tensor: name, index: at });
  }
  return { name, dataType, dims, externalLocation };
}

function externalEntry(t: readonly ProtoField[], where: string, key: string): string | null {
  for (const entry of messages(t, 13, where)) {
    const e = readFields(entry, where);
    if (lastString(e, 1, where) === key) return lastString(e, 2, where);
  }
  return null;
}

function checkRawSize(
  t: readonly ProtoField[],
  name: string,
  dims: readonly number[],
  dataType: number,
  where: string,
): void {
  const raw = messages(t, 9, where);
  const size = ELEM_BYTES[dataType];
  if (raw.length === 0 || size === undefined) return;
  const count = dims.reduce((a, b) => a * b, 1);
  if (raw[raw.length - 1].length !== count * size) {
    throw protoError(
      `tensor "${name}" holds ${raw[raw.length - 1].length} bytes, but dims ${dims.join('x')} of type ${dataType} need ${count * size}`,
      where,
    );
  }
}

function readValueInfo(bytes: Uint8Array, where: string): OnnxValueInfo {
  const v = readFields(bytes, where);
  const name = lastString(v, 1, where) ?? '';
  const type = messages(v, 2, where);
  const tensor = type.length > 0 ? messages(readFields(type[type.length - 1], where), 1, where) : [];
  if (tensor.length === 0) return { name, elemType: null, dims: null };
  const tf = readFields(tensor[tensor.length - 1], where);
  const shape = messages(tf, 2, where);
  const dims =
    shape.length === 0
      ? null
      : messages(readFields(shape[shape.length - 1], where), 1, where).map((d) => readDim(d, where));
  return { name, elemType: lastInt(tf, 1, where), dims };
}

function readDim(bytes: Uint8Array, where: string): OnnxDimInfo {
  const d = readFields(bytes, where);
  const value = lastInt(d, 1, where);
  if (value !== null) return value;
  return lastString(d, 2, where);
}

/** Version of the default ('' or 'ai.onnx') opset, or null. */
export function defaultOpset(info: OnnxModelInfo): number | null {
  const op = info.opsets.find((o) => o.domain === '' || o.domain === 'ai.onnx');
  return op ? op.version : null;
}
