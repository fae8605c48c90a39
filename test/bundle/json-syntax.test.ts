import { describe, expect, it } from 'vitest';
import { jsonSyntaxErrorOffset } from '../../core/bundle/json-syntax.js';
import { parseJsonText } from '../../core/bundle/json-file.js';

describe('JSON syntax locator', () => {
  it('accepts what JSON.parse accepts', () => {
    for (const t of ['{}', '[]', ' 1 ', '"a\\u00e9\\n"', '{"a":[1,-2.5e3,true,false,null,{"b":"c"}]}', '\n[ ]\n']) {
      expect(JSON.parse(t)).toBeDefined();
      expect(jsonSyntaxErrorOffset(t)).toBeNull();
    }
  });

  it.each([
    ['{\n  "a": oops\n}', 9],
    ['{"a":1,}', 7],
    ['[1 2]', 3],
    ['{"a" 1}', 5],
    ['01', 1],
    ['"abc', 4],
    ['"a\\x"', 2],
    ['', 0],
    ['{} x', 3],
    ["{'a':1}", 1],
  ])('points at the first bad character of %j', (text, offset) => {
    expect(() => JSON.parse(text)).toThrow(SyntaxError);
    expect(jsonSyntaxErrorOffset(text)).toBe(offset);
  });

  it('gives parseJsonText a line:col even when V8 reports no position', () => {
    expect(() => parseJsonText('{\n  "schema_version": oops\n}', 'x.json')).toThrow(
      expect.objectContaining({
        code: 'BUNDLE_JSON_INVALID',
        context: expect.objectContaining({ file: 'x.json', line: 2, column: 21 }),
      }),
    );
  });
});
