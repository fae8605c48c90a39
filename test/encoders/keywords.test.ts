import { describe, expect, it } from 'vitest';
import { extractKeywords } from '../../core/encoders/keywords.js';

describe('extractKeywords', () => {
  it('reference example', () => {
    expect(
      extractKeywords('Fix the walkable library lighting\nLighting in library is too dark; update lighting.', 16),
    ).toEqual(['lighting', 'library', 'dark', 'too', 'walkable']);
  });

  it('ASCII word class only, 3+ chars, greedy; ties by code point; top n', () => {
    expect(extractKeywords('café naïve abc_def ab x1y2 ABC', 16)).toEqual(['abc', 'abc_def', 'caf', 'x1y2']);
    expect(extractKeywords('zzz yyy xxx zzz', 2)).toEqual(['zzz', 'xxx']);
    expect(extractKeywords('', 16)).toEqual([]);
    expect(extractKeywords('the and should would', 16)).toEqual([]);
  });
});
