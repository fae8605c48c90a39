import { describe, expect, it } from 'vitest';
import { createEncoderForBundle, encodeForCli, selectEncoderKind } from '../../core/encoders/select-encoder.js';
import { encodeFeatures } from '../../core/encoders/features-encoder.js';
import { tokenizePlannerInput } from '../../core/encoders/tokenize.js';
import type { Bundle } from '../../core/bundle/bundle-types.js';
import { loadInput, loadJson } from './load-fixture.js';

function fakeBundle(config: Record<string, unknown> | null, json: Record<string, unknown>): Bundle {
  const files = Object.fromEntries(Object.keys(json).map((k) => [k, { size: 1 }]));
  return { dir: '/bundles/b', config, json, files } as unknown as Bundle;
}

describe('selectEncoderKind', () => {
  it('config.json encoder wins; else vocab.json ⇒ tokens.v1; else features.v1', () => {
    expect(selectEncoderKind({ config: { encoder: 'features.v1' }, files: { 'vocab.json': {} } })).toBe('features.v1');
    expect(selectEncoderKind({ config: { encoder: 'tokens.v1' }, files: {} })).toBe('tokens.v1');
    expect(selectEncoderKind({ config: null, files: { 'vocab.json': {} } })).toBe('tokens.v1');
    expect(selectEncoderKind({ config: { d_in: 3779 } as { encoder?: string }, files: { 'model.onnx': {} } })).toBe(
      'features.v1',
    );
  });

  it('an unknown encoder name is a coded error', () => {
    expect(() => selectEncoderKind({ config: { encoder: 'bag_of_words' }, files: {} })).toThrow(
      expect.objectContaining({ code: 'ENCODER_UNKNOWN' }),
    );
  });
});

describe('createEncoderForBundle', () => {
  it('raw sessions get the raw encoder', () => {
    const enc = createEncoderForBundle(null, { kind: 'raw' });
    expect(enc.encodeBatch([loadInput('worked-a')])).toEqual({ kind: 'raw', size: 1 });
  });

  it('tokens sessions use vocab.json and the session seq_len', () => {
    const enc = createEncoderForBundle(fakeBundle(null, { 'vocab.json': loadJson('vocab-small.json') }), {
      kind: 'tokens',
      seqLen: 8,
    });
    const out = encodeForCli(enc, loadInput('worked-a'));
    expect(out).toEqual({
      kind: 'tokens',
      tokens: tokenizePlannerInput(loadInput('worked-a')),
      input_ids: [2, 6, 5, 7, 8, 5, 1, 1],
      attention_mask: [1, 1, 1, 1, 1, 1, 1, 1],
    });
    expect(Object.keys(out)).toEqual(['kind', 'tokens', 'input_ids', 'attention_mask']);
  });

  it('tokens sessions without vocab.json fail with BUNDLE_FILE_MISSING', () => {
    expect(() =>
      createEncoderForBundle(fakeBundle({ encoder: 'tokens.v1' }, {}), { kind: 'tokens', seqLen: 8 }),
    ).toThrow(expect.objectContaining({ code: 'BUNDLE_FILE_MISSING' }));
  });

  it('features sessions check config d_in against the session', () => {
    const ok = createEncoderForBundle(fakeBundle({ d_in: 3779 }, { 'config.json': {} }), {
      kind: 'features',
      dIn: 3779,
    });
    const out = encodeForCli(ok, loadInput('hand-small'));
    expect(out).toEqual({ kind: 'features', features: Array.from(encodeFeatures(loadInput('hand-small'))) });
    expect(() => createEncoderForBundle(fakeBundle({ d_in: 4000 }, {}), { kind: 'features', dIn: 3779 })).toThrow(
      expect.objectContaining({
        code: 'ENCODER_DIM_MISMATCH',
        context: expect.objectContaining({ config: 4000, model: 3779 }),
      }),
    );
    expect(() => createEncoderForBundle(fakeBundle(null, {}), { kind: 'features', dIn: 100 })).toThrow(
      expect.objectContaining({ code: 'ENCODER_DIM_MISMATCH' }),
    );
  });

  it('a declared encoder that disagrees with the session is refused', () => {
    expect(() =>
      createEncoderForBundle(fakeBundle({ encoder: 'tokens.v1' }, { 'vocab.json': {} }), {
        kind: 'features',
        dIn: 3779,
      }),
    ).toThrow(expect.objectContaining({ code: 'BUNDLE_SHAPE_MISMATCH' }));
  });

  it('encodeForCli output is plain JSON numbers', () => {
    const enc = createEncoderForBundle(fakeBundle(null, { 'vocab.json': loadJson('vocab-small.json') }), {
      kind: 'tokens',
      seqLen: 4,
    });
    expect(() => JSON.stringify(encodeForCli(enc, loadInput('worked-b')))).not.toThrow();
  });
});
