import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseIssuesJsonl, readIssues } from '../../core/kernel/issue-source.js';
import { workcellId } from '../../core/kernel/workcell-paths.js';
import { tempDir } from './kernel-helpers.js';

describe('issue source', () => {
  it('reads JSONL, skipping blank and # lines; numeric ids become strings', () => {
    const issues = parseIssuesJsonl('{"id":"A","tags":["x"]}\n\n# note\n{"issue_id":7}\n', 'q.jsonl');
    expect(issues.map((i) => i.id)).toEqual(['A', '7']);
  });

  it('names file:line for a bad line', () => {
    expect(() => parseIssuesJsonl('{"id":"A"}\n{"id":\n', 'q.jsonl')).toThrow(
      expect.objectContaining({ code: 'INPUT_INVALID', context: expect.objectContaining({ where: 'q.jsonl:2' }) }),
    );
    expect(() => parseIssuesJsonl('{"id":"A"}\n\n["not an object"]\n', 'q.jsonl')).toThrow(
      expect.objectContaining({ context: { where: 'q.jsonl:3' } }),
    );
    expect(() => parseIssuesJsonl('{"id":"A","tags":"x"}\n', 'q.jsonl')).toThrow(
      expect.objectContaining({ context: { where: 'q.jsonl:1', keyPath: 'tags' } }),
    );
  });

  it('refuses an issue id with a NUL byte at parse time, naming file:line (it could never reach the runner)', () => {
    const text = '{"id":"A"}\n{"id":"B\\u0000C"}\n{"id":"D"}\n';
    expect(text).toContain('\\u0000'); // the JSON escape; JSON.parse turns it into a real NUL
    expect(() => parseIssuesJsonl(text, 'q.jsonl')).toThrow(
      expect.objectContaining({ code: 'INPUT_INVALID', context: { where: 'q.jsonl:2', keyPath: 'id' } }),
    );
    expect(() => parseIssuesJsonl('{"issue_id":"\\u0000"}\n', 'q.jsonl')).toThrow(
      expect.objectContaining({ code: 'INPUT_INVALID', context: { where: 'q.jsonl:1', keyPath: 'id' } }),
    );
  });

  it('reads a directory of *.json issues in name order and rejects duplicate ids', () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'q'));
    writeFileSync(join(dir, 'q', 'b.json'), '{"id":"B"}');
    writeFileSync(join(dir, 'q', 'a.json'), '{"id":"A"}');
    writeFileSync(join(dir, 'q', 'notes.txt'), 'ignored');
    expect(readIssues(join(dir, 'q')).map((i) => i.id)).toEqual(['A', 'B']);
    writeFileSync(join(dir, 'q', 'c.json'), '{"id":"A"}');
    expect(() => readIssues(join(dir, 'q'))).toThrow(expect.objectContaining({ code: 'INPUT_INVALID' }));
    expect(() => readIssues(join(dir, 'missing'))).toThrow(expect.objectContaining({ code: 'INPUT_INVALID' }));
  });

  it('maps issue ids to safe, distinct workcell names', () => {
    expect(workcellId('DEMO-1')).toBe('DEMO-1');
    expect(workcellId('a/b')).toMatch(/^a_b-[0-9a-f]{8}$/);
    expect(workcellId('a/b')).not.toBe(workcellId('a_b'));
    expect(workcellId('..')).not.toBe('..');
  });
});
