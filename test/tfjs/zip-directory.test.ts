import { zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { loadTorchStateDict } from '../../plugins/tfjs/torch-checkpoint.js';
import { readZip } from '../../plugins/tfjs/zip-archive.js';
import { lyingArchive } from '../support/lying-zip.js';

function codeOf(fn: () => unknown): { code?: string; context?: Record<string, unknown> } {
  try {
    fn();
  } catch (e) {
    return e as { code?: string };
  }
  return {};
}

describe('zip directory checks before any walk', () => {
  it('a ~150-byte ZIP64 archive claiming 4 billion entries is refused from its end record', () => {
    const bomb = lyingArchive(4_000_000_000, 0, true);
    expect(bomb.length).toBeLessThan(200);
    const e = codeOf(() => loadTorchStateDict(bomb));
    expect(e.code).toBe('ZIP_TOO_LARGE');
    expect(e.context?.entries).toBe(4_000_000_000);
  });

  it('declared counts over the limit are refused with the declared count (not after walking them)', () => {
    for (const entries of [100_001, 3_000_000, 2 ** 40]) {
      const e = codeOf(() => readZip(lyingArchive(entries, 0, true), 'model.pt'));
      expect([entries, e.code, e.context?.entries]).toEqual([entries, 'ZIP_TOO_LARGE', entries]);
    }
  });

  it('directories that cannot fit in the file are ZIP_CORRUPT, zip64 or not', () => {
    for (const [entries, offset] of [
      [1000, 0],
      [3, 10_000],
      [65_535, 30],
      [1, 2 ** 33],
    ]) {
      for (const zip64 of [true, false]) {
        if (!zip64 && offset > 0xffffffff) continue;
        const e = codeOf(() => readZip(lyingArchive(entries, offset, zip64), 'model.pt'));
        expect([entries, offset, zip64, e.code]).toEqual([entries, offset, zip64, 'ZIP_CORRUPT']);
      }
    }
  });

  it('real archives still read, and limits still hold for real entries', () => {
    const files = Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`a/f${i}`, new Uint8Array(10)]));
    expect(readZip(zipSync(files), 'x').size).toBe(20);
    expect(codeOf(() => readZip(zipSync(files), 'x', { maxEntries: 5, maxTotalBytes: 1e9 })).code).toBe(
      'ZIP_TOO_LARGE',
    );
    expect(codeOf(() => readZip(zipSync(files), 'x', { maxEntries: 100, maxTotalBytes: 50 })).code).toBe(
      'ZIP_TOO_LARGE',
    );
  });
});
