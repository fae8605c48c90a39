import { describe, expect, it } from 'vitest';
import { createTokensEncoder } from '../../core/encoders/tokens-encoder.js';
import { tokenizePlannerInput } from '../../core/encoders/tokenize.js';
import {
  FIXED_VOCAB_SIZE,
  buildFixedVocabTokens,
  encodeTokenIds,
  hasFixedLayout,
  parseVocab,
  vocabFromTokens,
} from '../../core/encoders/vocab.js';
import { loadInput, loadJson } from './load-fixture.js';

describe('fixed vocab layout', () => {
  it('has 4118 tokens at the reference positions', () => {
    const t = buildFixedVocabTokens();
    expect(t).toHaveLength(4118);
    expect(FIXED_VOCAB_SIZE).toBe(4118);
    expect(t.slice(0, 6)).toEqual(['[PAD]', '[UNK]', '[BOS]', '[SEP]', '[EOS]', '[=]']);
    expect([t[6], t[21]]).toEqual(['[RUN_0]', '[RUN_15]']);
    expect([t[22], t[1045]]).toEqual(['[TAG_HASH_0]', '[TAG_HASH_1023]']);
    expect([t[1046], t[2069]]).toEqual(['[KW_HASH_0]', '[KW_HASH_1023]']);
    expect([t[2070], t[3093]]).toEqual(['[FAIL_HASH_0]', '[FAIL_HASH_1023]']);
    expect([t[3094], t[4117]]).toEqual(['[GATE_HASH_0]', '[GATE_HASH_1023]']);
    expect(hasFixedLayout(vocabFromTokens(t))).toBe(true);
  });
});

describe('parseVocab', () => {
  it('reads the small test vocab', () => {
    const v = parseVocab(loadJson('vocab-small.json'), 'vocab-small.json');
    expect(v.tokens).toHaveLength(10);
    expect([v.padId, v.unkId]).toEqual([0, 1]);
    expect(hasFixedLayout(v)).toBe(false);
  });

  it('recomputes pad/unk from the token list, falling back to 0/1', () => {
    expect(parseVocab({ tokens: ['a', '[UNK]', '[PAD]'], pad_id: 7 }, 'v').padId).toBe(2);
    const v = parseVocab({ tokens: ['a', 'b'] }, 'v');
    expect([v.padId, v.unkId]).toEqual([0, 1]);
  });

  it.each([
    ['not an object', [1]],
    ['wrong schema', { schema_version: 'cyntra.vocab.v2', tokens: ['a'] }],
    ['no tokens', { schema_version: 'cyntra.vocab.v1' }],
    ['empty tokens', { tokens: [] }],
    ['non-string token', { tokens: ['a', 3] }],
    ['duplicate token', { tokens: ['a', 'b', 'a'] }],
  ])('rejects %s with VOCAB_INVALID', (_name, json) => {
    expect(() => parseVocab(json, 'vocab.json')).toThrow(expect.objectContaining({ code: 'VOCAB_INVALID' }));
  });
});

describe('encodeTokenIds', () => {
  const vocab = parseVocab(loadJson('vocab-small.json'), 'vocab-small.json');

  it('maps known tokens, unknown → unk id, pads with pad id and mask 0', () => {
    expect(encodeTokenIds(['[BOS]', '[VAL:UNIVERSE_ID:medica]', '[NOPE]', '[EOS]'], vocab, 6)).toEqual({
      inputIds: [2, 7, 1, 4, 0, 0],
      attentionMask: [1, 1, 1, 1, 0, 0],
    });
  });

  it('truncates to seq_len', () => {
    expect(encodeTokenIds(['[BOS]', '[SEP]', '[EOS]'], vocab, 2)).toEqual({ inputIds: [2, 3], attentionMask: [1, 1] });
  });

  it('a vocab without [PAD]/[UNK] pads with 0 and maps unknowns to 1', () => {
    expect(encodeTokenIds(['x', 'q'], vocabFromTokens(['z', 'y', 'x']), 3)).toEqual({
      inputIds: [2, 1, 0],
      attentionMask: [1, 1, 0],
    });
  });
});

describe('createTokensEncoder', () => {
  it('encodes a batch into int64 rows identical to encodeTokenIds', () => {
    const vocab = parseVocab(loadJson('vocab-small.json'), 'vocab-small.json');
    const enc = createTokensEncoder(vocab, 40);
    const inputs = [loadInput('worked-a'), loadInput('worked-b')];
    const batch = enc.encodeBatch(inputs);
    if (batch.kind !== 'tokens') throw new Error('expected tokens');
    expect([batch.size, batch.seqLen, batch.inputIds.length]).toEqual([2, 40, 80]);
    inputs.forEach((input, row) => {
      const tokens = tokenizePlannerInput(input);
      expect(batch.tokens[row]).toEqual(tokens);
      const { inputIds, attentionMask } = encodeTokenIds(tokens, vocab, 40);
      expect(Array.from(batch.inputIds.subarray(row * 40, row * 40 + 40), Number)).toEqual(inputIds);
      expect(Array.from(batch.attentionMask.subarray(row * 40, row * 40 + 40), Number)).toEqual(attentionMask);
    });
    // worked (a) is 36 tokens: 36 ones then 4 zeros
    expect(Array.from(batch.attentionMask.subarray(0, 40), Number)).toEqual([...Array(36).fill(1), 0, 0, 0, 0]);
    expect(Number(batch.inputIds[0])).toBe(2);
    expect(Number(batch.inputIds[3])).toBe(7);
  });

  it('pads with a non-zero pad id in batch rows', () => {
    const vocab = vocabFromTokens(['[BOS]', '[UNK]', '[PAD]', '[EOS]']);
    const batch = createTokensEncoder(vocab, 48).encodeBatch([loadInput('worked-a'), loadInput('worked-a')]);
    if (batch.kind !== 'tokens') throw new Error('expected tokens');
    const expected = encodeTokenIds(tokenizePlannerInput(loadInput('worked-a')), vocab, 48);
    expect(expected.inputIds.slice(34)).toEqual([1, 3, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2]);
    for (const row of [0, 1])
      expect(Array.from(batch.inputIds.subarray(row * 48, row * 48 + 48), Number)).toEqual(expected.inputIds);
  });

  it.each([0, -1, 1.5, NaN, 1e9])('refuses seq_len %s', (n) => {
    expect(() => createTokensEncoder(vocabFromTokens(['[PAD]']), n)).toThrow(
      expect.objectContaining({ code: 'ENCODER_DIM_MISMATCH' }),
    );
  });
});
