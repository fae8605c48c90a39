import { describe, expect, it } from 'vitest';
import { loadTorchStateDict } from '../../plugins/tfjs/torch-checkpoint.js';
import { Prng } from '../support/fuzz-prng.js';
import { torchCheckpoint, type ViewSpec } from '../support/torch-pickle.js';

function failure(fn: () => unknown): { code?: string } {
  try {
    fn();
  } catch (e) {
    return e as { code?: string };
  }
  return {};
}

describe('torch views are checked before anything is materialised', () => {
  it('refuses stride-0 views that broadcast a one-element storage to millions of elements', () => {
    const views: ViewSpec[] = ['trunk.0.weight', 'trunk.0.bias'].map((key) => ({
      key,
      storage: '0',
      numel: 1,
      shape: [4096, 4096],
      stride: [0, 0],
    }));
    expect(failure(() => loadTorchStateDict(torchCheckpoint(views))).code).toBe('TORCH_FORMAT_INVALID');
  });

  it('refuses any overlapping view with more elements than its storage (random shapes and strides)', () => {
    const rand = new Prng(1313);
    for (let n = 0; n < 40; n++) {
      const dims = 1 + rand.int(3);
      const shape = Array.from({ length: dims }, () => 2 + rand.int(60));
      const count = shape.reduce((a, b) => a * b, 1);
      const stride = shape.map((_, i) => (i === 0 ? 0 : rand.int(2)));
      // the view stays inside its storage (the old reach check passes) yet has more elements than the storage
      const reach = shape.reduce((acc, n, i) => acc + (n - 1) * stride[i], 0) + 1;
      const numel = reach + rand.int(count - reach);
      const e = failure(() => loadTorchStateDict(torchCheckpoint([{ key: 'w', storage: '0', numel, shape, stride }])));
      expect([shape, stride, numel, e.code]).toEqual([shape, stride, numel, 'TORCH_FORMAT_INVALID']);
    }
  });

  it('checks keys and shapes through checkShapes before materialising, and loads honest views', () => {
    const views: ViewSpec[] = [
      { key: 'a', storage: '0', numel: 6, shape: [2, 3], stride: [3, 1] },
      { key: 'b', storage: '0', numel: 6, shape: [3, 2], stride: [1, 3] },
    ];
    const seen: string[] = [];
    const sd = loadTorchStateDict(torchCheckpoint(views), { checkShapes: (s) => seen.push(...s.keys()) });
    expect(seen).toEqual(['a', 'b']);
    expect(sd.get('b')!.shape).toEqual([3, 2]);
    const refused = failure(() =>
      loadTorchStateDict(torchCheckpoint(views), {
        checkShapes: () => {
          throw Object.assign(new Error('no'), { code: 'SHAPES' });
        },
      }),
    );
    expect(refused.code).toBe('SHAPES');
  });
});
