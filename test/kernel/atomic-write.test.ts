import { existsSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { writeFileAtomic, writeJsonAtomic, type WriteFn } from '../../core/kernel/atomic-write.js';
import { tempDir } from './kernel-helpers.js';

class Killed extends Error {}

const dirs: string[] = [];
function scratch(): string {
  const dir = tempDir();
  dirs.push(dir);
  return dir;
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** A write that stores at most `budget` bytes in all, then behaves like a full disk (0 bytes, or ENOSPC). */
function diskWith(budget: number, mode: 'zero' | 'enospc'): WriteFn {
  let left = budget;
  return (fd, buffer, offset, length) => {
    if (left === 0) {
      if (mode === 'zero') return 0;
      throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
    }
    const n = writeSync(fd, buffer, offset, Math.min(length, left));
    left -= n;
    return n;
  };
}

describe('atomic writes', () => {
  it('writes the new content and leaves no temp file', () => {
    const dir = scratch();
    const file = join(dir, 'sub', 'manifest.json');
    writeJsonAtomic(file, { a: 1 });
    writeJsonAtomic(file, { a: 2 });
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({ a: 2 });
    expect(readdirSync(join(dir, 'sub'))).toEqual(['manifest.json']);
  });

  it('a kill between write and rename leaves the old file intact', () => {
    const dir = scratch();
    const file = join(dir, 'manifest.json');
    writeFileSync(file, '{"status":"dispatched"}\n');
    const content = '{"status":"finished","big":"' + 'x'.repeat(100_000) + '"}\n';
    let tempSeen = '';
    let tempContent = '';
    let thrown: unknown;
    try {
      writeFileAtomic(file, content, {
        beforeRename: (temp) => {
          // recorded here, asserted below: an assertion failing in here would be rewrapped as IO_FAILED
          tempSeen = temp;
          tempContent = readFileSync(temp, 'utf8');
          throw new Killed('simulated kill'); // the process dies before the rename
        },
      });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toMatchObject({ code: 'IO_FAILED' });
    expect((thrown as Error).cause).toBeInstanceOf(Killed);
    expect(tempContent).toBe(content); // the new content was complete on disk before the rename
    expect(tempSeen.startsWith(dir)).toBe(true);
    expect(readFileSync(file, 'utf8')).toBe('{"status":"dispatched"}\n');
  });

  it('a failed write reports IO_FAILED and names the file', () => {
    const dir = scratch();
    writeFileSync(join(dir, 'blocker'), 'not a directory');
    expect(() => writeFileAtomic(join(dir, 'blocker', 'x.json'), '{}')).toThrow(
      expect.objectContaining({ code: 'IO_FAILED' }),
    );
    expect(existsSync(join(dir, 'blocker', 'x.json'))).toBe(false);
  });

  it('short writes are continued until every byte is written', () => {
    const dir = scratch();
    const file = join(dir, 'manifest.json');
    const value = { status: 'finished', big: 'y'.repeat(50_000) };
    const tiny: WriteFn = (fd, buffer, offset, length) => writeSync(fd, buffer, offset, Math.min(length, 777));
    writeJsonAtomic(file, value, { write: tiny });
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual(value);
  });

  for (const mode of ['zero', 'enospc'] as const) {
    it(`a full disk (${mode === 'zero' ? 'a write that stores nothing' : 'ENOSPC'} mid-file) never publishes a truncated file`, () => {
      const dir = scratch();
      const file = join(dir, 'manifest.json');
      writeFileSync(file, '{"status":"dispatched"}\n');
      let renamed = false;
      let thrown: unknown;
      try {
        writeJsonAtomic(
          file,
          { status: 'finished', big: 'z'.repeat(20_000) },
          { write: diskWith(4096, mode), beforeRename: () => (renamed = true) },
        );
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toMatchObject({ code: 'IO_FAILED', context: { file } });
      expect(renamed).toBe(false);
      expect(readFileSync(file, 'utf8')).toBe('{"status":"dispatched"}\n');
      expect(readdirSync(dir)).toEqual(['manifest.json']); // the partial temp file is gone too
    });
  }

  it('never writes through a symlink planted under a temp file name', () => {
    const dir = scratch();
    const outside = join(scratch(), 'precious.txt');
    writeFileSync(outside, 'precious');
    const file = join(dir, 'manifest.json');
    // plant links under the next names this process would use for its temp file
    let planted = 0;
    writeFileAtomic(file, 'first', {
      beforeRename: (temp) => {
        const m = /\.(\d+)\.tmp$/.exec(temp)!;
        for (let n = Number(m[1]) + 1; n <= Number(m[1]) + 3; n++) {
          symlinkSync(outside, temp.replace(/\.\d+\.tmp$/, `.${n}.tmp`));
          planted++;
        }
      },
    });
    expect(planted).toBe(3);
    expect(() => writeFileAtomic(file, 'second')).toThrow(expect.objectContaining({ code: 'IO_FAILED' }));
    expect(readFileSync(outside, 'utf8')).toBe('precious');
    expect(readFileSync(file, 'utf8')).toBe('first');
  });
});
