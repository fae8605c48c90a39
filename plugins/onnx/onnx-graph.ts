/**
 * A generic ONNX graph builder and ModelProto encoder (hand-written protobuf, field numbers from onnx.proto).
 * Tensors are written as `raw_data` (little-endian); an initializer may instead point at external data, which only
 * tests use (to check that loaders refuse it).
 */
import { ProtoWriter } from './protobuf-writer.js';

/** onnx.TensorProto.DataType values this project writes and reads. */
export const OnnxDataType = { FLOAT: 1, INT32: 6, INT64: 7, BOOL: 9, DOUBLE: 11 } as const;

export type OnnxDim = number | string;

export interface OnnxTensor {
  readonly dataType: number;
  readonly dims: readonly number[];
  readonly data?: Float32Array | Int32Array | BigInt64Array | Float64Array | Uint8Array;
  /** When set, the tensor's data lives in this file (data_location = EXTERNAL); `data` is ignored. */
  readonly external?: { readonly location: string; readonly offset?: number; readonly length?: number };
}

export type OnnxAttr =
  | { readonly i: number }
  | { readonly f: number }
  | { readonly s: string }
  | { readonly ints: readonly number[] }
  | { readonly floats: readonly number[] }
  | { readonly t: OnnxTensor };

export interface OnnxNode {
  readonly opType: string;
  readonly inputs: readonly string[];
  readonly outputs: readonly string[];
  readonly name: string;
  readonly attrs: Readonly<Record<string, OnnxAttr>>;
}

export interface OnnxValue {
  readonly name: string;
  readonly elemType: number;
  readonly dims: readonly OnnxDim[];
}

export interface OnnxModelSpec {
  readonly irVersion?: number;
  readonly opset: number;
  readonly producerName?: string;
  readonly graphName?: string;
  readonly inputs: readonly OnnxValue[];
  readonly outputs: readonly OnnxValue[];
  readonly initializers: ReadonlyArray<{ readonly name: string; readonly tensor: OnnxTensor }>;
  readonly nodes: readonly OnnxNode[];
}

/** Accumulates nodes and initializers; `tmp()` hands out unique intermediate names. */
export class OnnxGraphBuilder {
  readonly inputs: OnnxValue[] = [];
  readonly outputs: OnnxValue[] = [];
  readonly initializers: Array<{ name: string; tensor: OnnxTensor }> = [];
  readonly nodes: OnnxNode[] = [];
  private counter = 0;

  input(name: string, elemType: number, dims: readonly OnnxDim[]): string {
    this.inputs.push({ name, elemType, dims });
    return name;
  }

  output(name: string, elemType: number, dims: readonly OnnxDim[]): string {
    this.outputs.push({ name, elemType, dims });
    return name;
  }

  initializer(name: string, tensor: OnnxTensor): string {
    this.initializers.push({ name, tensor });
    return name;
  }

  floats(name: string, dims: readonly number[], data: Float32Array | readonly number[]): string {
    return this.initializer(name, { dataType: OnnxDataType.FLOAT, dims, data: Float32Array.from(data) });
  }

  int64s(name: string, dims: readonly number[], data: readonly number[]): string {
    return this.initializer(name, { dataType: OnnxDataType.INT64, dims, data: BigInt64Array.from(data.map(BigInt)) });
  }

  tmp(prefix: string): string {
    return `${prefix}_${this.counter++}`;
  }

  /** Adds a node; returns its first output (a fresh name unless `out` is given). */
  node(opType: string, inputs: readonly string[], attrs: Record<string, OnnxAttr> = {}, out?: string): string {
    const output = out ?? this.tmp(opType.toLowerCase());
    this.nodes.push({ opType, inputs, outputs: [output], name: `${opType}_${this.nodes.length}`, attrs });
    return output;
  }

  toModel(opset: number, extra: Partial<OnnxModelSpec> = {}): OnnxModelSpec {
    return {
      opset,
      inputs: this.inputs,
      outputs: this.outputs,
      initializers: this.initializers,
      nodes: this.nodes,
      ...extra,
    };
  }
}

/** IR version matching an opset (onnx/docs/Versioning.md); ORT accepts anything up to its own maximum. */
export function irVersionForOpset(opset: number): number {
  if (opset <= 8) return 3;
  if (opset <= 10) return 5;
  if (opset <= 11) return 6;
  if (opset <= 14) return 7;
  if (opset <= 18) return 8;
  return 9;
}

export function encodeOnnxModel(spec: OnnxModelSpec): Uint8Array {
  const w = new ProtoWriter();
  w.int(1, spec.irVersion ?? irVersionForOpset(spec.opset));
  w.string(2, spec.producerName ?? 'cyntra-planner');
  w.string(3, '0.1.0');
  w.message(7, (g) => writeGraph(g, spec));
  w.message(8, (o) => o.string(1, '').int(2, spec.opset));
  return w.finish();
}

function writeGraph(g: ProtoWriter, spec: OnnxModelSpec): void {
  for (const n of spec.nodes) g.message(1, (w) => writeNode(w, n));
  g.string(2, spec.graphName ?? 'main');
  for (const init of spec.initializers) g.message(5, (w) => writeTensor(w, init.name, init.tensor));
  for (const v of spec.inputs) g.message(11, (w) => writeValueInfo(w, v));
  for (const v of spec.outputs) g.message(12, (w) => writeValueInfo(w, v));
}

function writeNode(w: ProtoWriter, n: OnnxNode): void {
  for (const i of n.inputs) w.string(1, i);
  for (const o of n.outputs) w.string(2, o);
  w.string(3, n.name);
  w.string(4, n.opType);
  for (const [name, attr] of Object.entries(n.attrs)) w.message(5, (a) => writeAttr(a, name, attr));
}

/** AttributeProto.AttributeType: FLOAT 1, INT 2, STRING 3, TENSOR 4, FLOATS 6, INTS 7. */
function writeAttr(w: ProtoWriter, name: string, attr: OnnxAttr): void {
  w.string(1, name);
  if ('f' in attr) w.float(2, attr.f).int(20, 1);
  else if ('i' in attr) w.int(3, attr.i).int(20, 2);
  else if ('s' in attr) w.string(4, attr.s).int(20, 3);
  else if ('t' in attr) w.message(5, (t) => writeTensor(t, '', attr.t)).int(20, 4);
  else if ('floats' in attr) {
    for (const f of attr.floats) w.float(7, f);
    w.int(20, 6);
  } else {
    for (const i of attr.ints) w.int(8, i);
    w.int(20, 7);
  }
}

function writeTensor(w: ProtoWriter, name: string, t: OnnxTensor): void {
  for (const d of t.dims) w.int(1, d);
  w.int(2, t.dataType);
  if (name) w.string(8, name);
  if (t.external) {
    const ext = t.external;
    w.message(13, (e) => e.string(1, 'location').string(2, ext.location));
    if (ext.offset !== undefined) w.message(13, (e) => e.string(1, 'offset').string(2, String(ext.offset)));
    if (ext.length !== undefined) w.message(13, (e) => e.string(1, 'length').string(2, String(ext.length)));
    w.int(14, 1);
    return;
  }
  const data = t.data ?? new Uint8Array(0);
  w.bytes(9, littleEndianBytes(data));
}

function littleEndianBytes(data: NonNullable<OnnxTensor['data']>): Uint8Array {
  // Typed arrays are host-endian; every platform Node supports here is little-endian.
  return new Uint8Array(data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength));
}

function writeValueInfo(w: ProtoWriter, v: OnnxValue): void {
  w.string(1, v.name);
  w.message(2, (type) =>
    type.message(1, (tensor) => {
      tensor.int(1, v.elemType);
      tensor.message(2, (shape) => {
        for (const d of v.dims) shape.message(1, (dim) => (typeof d === 'number' ? dim.int(1, d) : dim.string(2, d)));
      });
    }),
  );
}
