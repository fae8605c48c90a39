/** Regression goldens (fixtures/encoders/goldens, made by fixtures/tools/make-encoder-goldens.ts). */
import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { encodeFeatures } from '../../core/encoders/features-encoder.js';
import { tokenizePlannerInput } from '../../core/encoders/tokenize.js';
import { encodeTokenIds, parseVocab } from '../../core/encoders/vocab.js';
import { FIXTURE_DIR, loadInput, loadJson } from './load-fixture.js';

const names = readdirSync(`${FIXTURE_DIR}inputs`)
  .filter((f) => f.endsWith('.json'))
  .map((f) => f.slice(0, -5))
  .sort();
const vocab = parseVocab(loadJson('vocab-small.json'), 'vocab-small.json');

function parseSparse(text: string): [number, number][] {
  return text
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((line) => {
      const [i, v] = line.split(':');
      return [Number(i), Number(v)];
    });
}

describe('encoder goldens', () => {
  it('covers every input fixture', () => {
    expect(names).toEqual(
      expect.arrayContaining(['edge-unicode', 'hand-small', 'hand-system', 'realistic', 'worked-a', 'worked-b']),
    );
  });

  it.each(names)('%s features.v1', (name) => {
    const golden = parseSparse(readFileSync(`${FIXTURE_DIR}goldens/${name}.features.txt`, 'utf8'));
    const v = encodeFeatures(loadInput(name));
    const actual: [number, number][] = [];
    v.forEach((x, i) => x !== 0 && actual.push([i, x]));
    expect(actual).toEqual(golden);
  });

  it.each(names)('%s tokens.v1', (name) => {
    const golden = loadJson(`goldens/${name}.tokens.json`) as {
      seq_len: number;
      tokens: string[];
      input_ids: number[];
      attention_mask: number[];
    };
    const tokens = tokenizePlannerInput(loadInput(name));
    expect(tokens).toEqual(golden.tokens);
    const ids = encodeTokenIds(tokens, vocab, golden.seq_len);
    expect(ids.inputIds).toEqual(golden.input_ids);
    expect(ids.attentionMask).toEqual(golden.attention_mask);
  });
});
