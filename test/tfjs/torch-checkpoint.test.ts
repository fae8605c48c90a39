import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { unzipSync, zipSync } from 'fflate';
import { beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../core/logger.js';
import { TfjsMlpPolicy } from '../../plugins/tfjs/mlp-policy-tfjs.js';
import { checkStateDict } from '../../plugins/tfjs/state-dict-check.js';
import { loadTfjsRuntime, type TfjsRuntime } from '../../plugins/tfjs/tfjs-runtime.js';
import { loadTorchStateDict, type LoadedTensor } from '../../plugins/tfjs/torch-checkpoint.js';
import { expectedInputs, fixture, maxAbsDiff, readExpected, SMALL_DIMS } from './tfjs-fixtures.js';

const checkpoint = (name: string): Uint8Array => readFileSync(join(fixture(name), 'model.pt'));

function errorOf(fn: () => unknown): { code?: string; context?: Record<string, unknown> } {
  try {
    fn();
  } catch (e) {
    return e as { code?: string };
  }
  return {};
}

let runtime: TfjsRuntime;
beforeAll(async () => {
  runtime = await loadTfjsRuntime(silentLogger);
});

describe('loadTorchStateDict + tfjs forward: parity with PyTorch', () => {
  for (const name of [
    'torch-small',
    'torch-float16',
    'torch-bfloat16',
    'torch-float64',
    'torch-strided',
    'torch-wrapped',
  ]) {
    it(`${name}: logits within 1e-5 of torch`, async () => {
      const weights = checkStateDict(loadTorchStateDict(checkpoint(name)), SMALL_DIMS);
      const model = new TfjsMlpPolicy(runtime.tf, weights);
      try {
        const e = readExpected(name);
        expect(maxAbsDiff(await model.forward(expectedInputs(e), e.inputs.length), e)).toBeLessThan(1e-5);
      } finally {
        model.dispose();
      }
    });
  }

  it('keeps the logical shapes of a transposed view and an offset slice (values: parity test above)', () => {
    const strided = loadTorchStateDict(checkpoint('torch-strided'));
    const w = strided.get('trunk.0.weight')!;
    expect(w.shape).toEqual([32, 64]);
    expect(strided.get('minutes_head.weight')!.shape).toEqual([6, 16]);
  });

  it('converts float16 values exactly', () => {
    const half = loadTorchStateDict(checkpoint('torch-float16')).get('trunk.1.weight')!;
    // Every value must be representable in float16: at most 10 mantissa bits after the leading one (normal range).
    for (const v of half.data) {
      const a = Math.abs(v);
      expect(a === 0 || Number.isInteger((a / 2 ** Math.floor(Math.log2(a))) * 1024)).toBe(true);
    }
    expect(half.data.every((v) => v > 0.4 && v < 1.6)).toBe(true); // LayerNorm weights were drawn in [0.5, 1.5)
  });
});

describe('refusals', () => {
  it('refuses a whole-model pickle by naming its class', () => {
    const e = errorOf(() => loadTorchStateDict(checkpoint('torch-whole-model')));
    expect(e.code).toBe('PICKLE_GLOBAL_FORBIDDEN');
    expect(e.context?.global).toBe('__main__.MLPPolicy');
  });

  it('refuses a pickle naming os.system', () => {
    const e = errorOf(() => loadTorchStateDict(checkpoint('torch-evil-global')));
    expect(e.code).toBe('PICKLE_GLOBAL_FORBIDDEN');
    expect(e.context?.global).toBe('os.system');
  });

  it('refuses a legacy (non-zip) checkpoint', () => {
    expect(errorOf(() => loadTorchStateDict(checkpoint('torch-legacy'))).code).toBe('TORCH_LEGACY_FORMAT');
  });

  it('refuses a corrupt zip and an archive without data.pkl', () => {
    const bytes = checkpoint('torch-small').slice(0, 400);
    expect(errorOf(() => loadTorchStateDict(bytes)).code).toBe('ZIP_CORRUPT');
    expect(errorOf(() => loadTorchStateDict(zipSync({ 'a/other.txt': new Uint8Array(3) }))).code).toBe(
      'TORCH_FORMAT_INVALID',
    );
  });

  it('refuses a storage that is missing or too short', () => {
    const pkl = readZipEntry(checkpoint('torch-small'), 'model/data.pkl');
    expect(errorOf(() => loadTorchStateDict(zipSync({ 'model/data.pkl': pkl }))).code).toBe('TORCH_FORMAT_INVALID');
    const short = zipSync({
      'model/data.pkl': pkl,
      ...Object.fromEntries(Array.from({ length: 16 }, (_, i) => [`model/data/${i}`, new Uint8Array(4)])),
    });
    expect(errorOf(() => loadTorchStateDict(short)).code).toBe('TORCH_FORMAT_INVALID');
  });

  it('refuses a big-endian byteorder', () => {
    const files = unzipAll(checkpoint('torch-small'));
    files['model/byteorder'] = new TextEncoder().encode('big');
    expect(errorOf(() => loadTorchStateDict(zipSync(files))).code).toBe('TORCH_BYTEORDER_UNSUPPORTED');
  });
});

describe('mutated checkpoints', () => {
  it('either load or fail with a coded error, never hang or throw uncoded', () => {
    const files = unzipAll(checkpoint('torch-small'));
    const pkl = files['model/data.pkl'];
    let seed = 4242;
    const rand = (n: number) => ((seed = (seed * 1103515245 + 12345) >>> 0) >>> 8) % n;
    const codes = new Set<string>();
    for (let n = 0; n < 300; n++) {
      const mutated = pkl.slice();
      for (let k = 0; k <= n % 4; k++) mutated[rand(mutated.length)] = rand(256);
      const e = errorOf(() => loadTorchStateDict(zipSync({ ...files, 'model/data.pkl': mutated })));
      if (e.code === undefined && e instanceof Error) throw e;
      if (e.code) codes.add(e.code);
    }
    expect([...codes].every((c) => /^(PICKLE_|TORCH_|ZIP_)/.test(c))).toBe(true);
    expect(codes.size).toBeGreaterThan(1);
  });
});

describe('checkStateDict', () => {
  const sd = (): Map<string, LoadedTensor> => loadTorchStateDict(checkpoint('torch-small'));
  const mismatchKey = (m: Map<string, LoadedTensor>, dims = SMALL_DIMS) => {
    const e = errorOf(() => checkStateDict(m, dims));
    return [e.code, e.context?.key];
  };

  it('names a missing key', () => {
    const m = sd();
    m.delete('trunk.5.bias');
    expect(mismatchKey(m)).toEqual(['TORCH_STATE_DICT_MISMATCH', 'trunk.5.bias']);
  });

  it('names an extra key', () => {
    const m = sd();
    m.set('value_head.weight', { shape: [1, 16], data: new Float32Array(16) });
    expect(mismatchKey(m)).toEqual(['TORCH_STATE_DICT_MISMATCH', 'value_head.weight']);
  });

  it('names a mis-shaped key, and config dims that do not fit', () => {
    const m = sd();
    m.set('swarm_head.weight', { shape: [3, 16], data: new Float32Array(48) });
    expect(mismatchKey(m)).toEqual(['TORCH_STATE_DICT_MISMATCH', 'swarm_head.weight']);
    expect(mismatchKey(sd(), { ...SMALL_DIMS, dIn: 65 })).toEqual(['TORCH_STATE_DICT_MISMATCH', 'trunk.0.weight']);
  });
});

function unzipAll(bytes: Uint8Array): Record<string, Uint8Array> {
  return unzipSync(bytes);
}

function readZipEntry(bytes: Uint8Array, name: string): Uint8Array {
  return unzipSync(bytes)[name];
}
