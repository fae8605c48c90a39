import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeFileAtomic, writeJsonAtomic } from '../../core/kernel/atomic-write.js';
import { tempDir } from './kernel-helpers.js';

class Killed extends Error {}

describe('atomic writes', () => {
  it('writes the new content and leaves no temp file', () => {
    const dir = tempDir();
    const file = join(dir, 'sub', 'manifest.json');
    writeJsonAtomic(file, { a: 1 });
    writeJsonAtomic(file, { a: 2 });
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({ a: 2 });
    expect(readdirSync(join(dir, 'sub'))).toEqual(['manifest.json']);
  });

  it('a kill between write and rename leaves the old file intact', () => {
    const dir = tempDir();
    const file = join(dir, 'manifest.json');
    writeFileSync(file, '{"status":"dispatched"}\n');
    let tempSeen = '';
    expect(() =>
      writeFileAtomic(file, '{"status":"finished","big":"' + 'x'.repeat(100_000) + '"}\n', {
        beforeRename: (temp) => {
          tempSeen = temp;
          expect(readFileSync(temp, 'utf8')).toContain('finished'); // the new content is complete on disk...
          throw new Killed('simulated kill'); // ...and the process dies before the rename
        },
      }),
    ).toThrow();
    expect(readFileSync(file, 'utf8')).toBe('{"status":"dispatched"}\n');
    expect(tempSeen.startsWith(dir)).toBe(true);
  });

  it('a failed write reports IO_FAILED and names the file', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'blocker'), 'not a directory');
    expect(() => writeFileAtomic(join(dir, 'blocker', 'x.json'), '{}')).toThrow(expect.objectContaining({ code: 'IO_FAILED' }));
    expect(existsSync(join(dir, 'blocker', 'x.json'))).toBe(false);
  });
});
