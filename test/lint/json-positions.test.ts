import { describe, expect, it } from 'vitest';
import { jsonPositions, pointerSegment } from '../../core/bundle/json-positions.js';

const TEXT = '{\n  "a": 1,\n  "b": {\n    "c/d": [10, {"e~f": "x\\"y"}],\n    "g": null\n  }\n}\n';

describe('jsonPositions', () => {
  const pos = jsonPositions(TEXT);

  it('maps pointers to the 1-based line:col where each value starts', () => {
    expect(pos.at('')).toEqual({ line: 1, column: 1 });
    expect(pos.at('/a')).toEqual({ line: 2, column: 8 });
    expect(pos.at('/b')).toEqual({ line: 3, column: 8 });
    expect(pos.at('/b/c~1d')).toEqual({ line: 4, column: 12 });
    expect(pos.at('/b/c~1d/0')).toEqual({ line: 4, column: 13 });
    expect(pos.at('/b/c~1d/1/e~0f')).toEqual({ line: 4, column: 25 });
    expect(pos.at('/b/g')).toEqual({ line: 5, column: 10 });
  });

  it('falls back to the nearest existing ancestor for a pointer into nothing', () => {
    expect(pos.at('/b/missing')).toEqual(pos.at('/b'));
    expect(pos.at('/b/c~1d/7')).toEqual(pos.at('/b/c~1d'));
  });

  it('escapes pointer segments per RFC 6901', () => {
    expect(pointerSegment('a/b~c')).toBe('a~1b~0c');
    expect(pointerSegment(3)).toBe('3');
  });

  it('does not throw on invalid JSON', () => {
    expect(jsonPositions('{"a": [1, ').at('/a')).toEqual({ line: 1, column: 7 });
  });
});
