import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PlannerError } from '../../core/errors.js';
import { defaultOpset, ONNX_PROTO_INVALID, readOnnxModel } from '../../plugins/onnx/onnx-reader.js';
import { OnnxDataType, OnnxGraphBuilder, encodeOnnxModel } from '../../plugins/onnx/onnx-writer.js';
import { BUNDLES, rand32 } from './onnx-test-helpers.js';

const spec = readFileSync(join(BUNDLES, 'onnx-spec-small', 'model.onnx'));
const torchRef = readFileSync(join(BUNDLES, 'torch-ref', 'model.onnx'));

function codeOf(fn: () => unknown): string | null {
  try {
    fn();
    return null;
  } catch (error) {
    if (!(error instanceof PlannerError)) throw error;
    return error.code;
  }
}

describe('readOnnxModel', () => {
  it('reads our writer output: ir, opset, inputs, outputs, initializers', () => {
    const info = readOnnxModel(spec);
    expect(info.irVersion).toBe(8);
    expect(defaultOpset(info)).toBe(17);
    expect(info.inputs).toEqual([{ name: 'input', elemType: OnnxDataType.FLOAT, dims: ['batch', 3779] }]);
    expect(info.outputs.map((o) => [o.name, o.dims])).toEqual([
      ['swarm', ['batch', 2]],
      ['candidates', ['batch', 4]],
      ['minutes', ['batch', 6]],
      ['iterations', ['batch', 5]],
    ]);
    expect(info.initializers.find((t) => t.name === 'trunk.0.weight')?.dims).toEqual([16, 3779]);
    expect(info.externalData).toEqual([]);
  });

  it('reads a model exported by torch.onnx.export (opset 14, symbolic batch)', () => {
    const info = readOnnxModel(torchRef);
    expect(defaultOpset(info)).toBe(14);
    expect(info.inputs).toEqual([{ name: 'input', elemType: OnnxDataType.FLOAT, dims: ['batch_size', 24] }]);
    expect(info.outputs.map((o) => o.name)).toEqual(['swarm', 'candidates', 'minutes', 'iterations']);
    expect(info.producerName).toBe('pytorch');
  });

  it('finds external data, including its location', () => {
    const g = new OnnxGraphBuilder();
    g.input('x', OnnxDataType.FLOAT, [1, 2]);
    g.initializer('w', {
      dataType: OnnxDataType.FLOAT,
      dims: [2],
      external: { location: '../secret.bin', offset: 0, length: 8 },
    });
    g.node('Add', ['x', 'w'], {}, g.output('y', OnnxDataType.FLOAT, [1, 2]));
    const info = readOnnxModel(encodeOnnxModel(g.toModel(17)));
    expect(info.externalData).toEqual([{ tensor: 'w', location: '../secret.bin' }]);
  });

  it('refuses every truncation with ONNX_PROTO_INVALID', () => {
    const cuts = [0, 1, 5, 17, 100, 1000, spec.length >> 1, spec.length - 10, spec.length - 1];
    for (const cut of cuts)
      expect(
        codeOf(() => readOnnxModel(spec.subarray(0, cut))),
        `cut ${cut}`,
      ).toBe(ONNX_PROTO_INVALID);
  });

  it('bit flips either parse or fail with ONNX_PROTO_INVALID, never another error', () => {
    const r = rand32(7);
    const small = readFileSync(join(BUNDLES, 'torch-ref', 'model.onnx'));
    let refused = 0;
    for (let k = 0; k < 400; k++) {
      const bytes = Uint8Array.from(small);
      const at = Math.floor(r() * bytes.length);
      bytes[at] ^= 1 << Math.floor(r() * 8);
      const code = codeOf(() => readOnnxModel(bytes));
      if (code !== null) {
        expect(code).toBe(ONNX_PROTO_INVALID);
        refused++;
      }
    }
    expect(refused).toBeGreaterThan(0);
  });

  it('refuses garbage and a flipped size field', () => {
    expect(
      codeOf(() => readOnnxModel(new Uint8Array([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]))),
    ).toBe(ONNX_PROTO_INVALID);
    expect(codeOf(() => readOnnxModel(new TextEncoder().encode('not an onnx file at all')))).toBe(ONNX_PROTO_INVALID);
    const g = new OnnxGraphBuilder();
    g.input('x', OnnxDataType.FLOAT, [1, 2]);
    g.initializer('w', { dataType: OnnxDataType.FLOAT, dims: [3], data: new Float32Array(2) });
    g.node('Add', ['x', 'w'], {}, g.output('y', OnnxDataType.FLOAT, [1, 2]));
    expect(codeOf(() => readOnnxModel(encodeOnnxModel(g.toModel(17))))).toBe(ONNX_PROTO_INVALID);
  });
});
