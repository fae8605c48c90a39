/** Issue 13 items 17-21: strict numbers, capped input files, convert never deletes its source, logits overflow, escaped lint output. */
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { CliIO } from '../../core/cli/command.js';
import { MAX_INPUT_FILE_BYTES } from '../../core/read-input-file.js';
import { formatStylish } from '../../core/lint/format-stylish.js';
import { readIssues } from '../../core/kernel/issue-source.js';
import { silentLogger } from '../../core/logger.js';
import { buildPlannerInput } from '../../core/planner-input.js';
import { Prng } from '../support/fuzz-prng.js';
import { BackendRegistry } from '../../core/backend/registry.js';
import { logitsCommand } from '../../core/cli/commands/logits.js';
import { cliDeps } from '../support/cli-deps.js';
import { heuristicPlugin } from '../../plugins/heuristic/heuristic-plugin.js';
import { makeScriptedBundle, prefer, scriptedPlugin } from '../support/scripted-plugin.js';
import { runCli } from '../support/cli-run.js';

const ROOT = resolve(import.meta.dirname, '../..');
const BUNDLES = join(ROOT, 'fixtures/bundles');
const dir = mkdtempSync(join(tmpdir(), 'cyntra-hostile-opts-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const inputFile = join(dir, 'input.json');
writeFileSync(inputFile, JSON.stringify(buildPlannerInput({ issue: { id: 'H-1' }, now: 0 })));

const cli = (argv: string[]) => runCli(argv, ROOT);

const coded = (code: string) => new RegExp(`^cyntra-planner: ${code}: [^\\n]*\\n$`);

describe('strict numeric options (item 19)', () => {
  const bad = ['', ' ', '0x10', '0b1', '0o7', '1_0', 'Infinity', 'NaN', '1e', '.', '--1', '1,5', ' 0.5', '0.5 ', '١'];
  it('predict --threshold and --timeout-ms refuse anything but plain decimals, exit 2 with USAGE', async () => {
    for (const value of bad) {
      for (const flag of ['--threshold', '--timeout-ms']) {
        const r = await cli(['predict', '--input', inputFile, `${flag}=${value}`]);
        expect([flag, value, r.code, r.stdout]).toEqual([flag, value, 2, '']);
        expect(r.stderr).toMatch(coded('USAGE'));
      }
    }
    const frac = await cli(['predict', '--input', inputFile, '--timeout-ms', '1.5']);
    expect(frac.code).toBe(2);
  });

  it('run --confidence-threshold refuses them too; plain decimals still work', async () => {
    for (const value of ['', '0x1', 'Infinity']) {
      const r = await cli(['run', `--confidence-threshold=${value}`, '--issues', join(dir, 'none.jsonl')]);
      expect([value, r.code]).toEqual([value, 2]);
      expect(r.stderr).toMatch(coded('USAGE'));
    }
    for (const [t, ms] of [
      ['0.25', '50'],
      ['.5', '1e2'],
      ['1', '100'],
    ]) {
      expect((await cli(['predict', '--input', inputFile, '--threshold', t, '--timeout-ms', ms])).code).toBe(0);
    }
  });
});

describe('capped input files (item 18)', () => {
  it('an input over the cap, /dev/zero and a directory are INPUT_INVALID (exit 2), never read whole', async () => {
    const big = join(dir, 'big.json');
    writeFileSync(big, `[${'0,'.repeat(MAX_INPUT_FILE_BYTES / 2)}0]`);
    for (const file of [big, '/dev/zero', dir]) {
      for (const argv of [
        ['predict', '--input', file],
        ['logits', '--bundle', join(BUNDLES, 'onnx-spec-small'), '--features', file],
      ]) {
        const r = await cli(argv);
        expect([argv.join(' '), r.code]).toEqual([argv.join(' '), 2]);
        expect(r.stderr).toMatch(coded('INPUT_INVALID'));
      }
    }
  });

  it('the issue queue is capped too: /dev/zero as --issues is INPUT_INVALID', () => {
    expect(() => readIssues('/dev/zero')).toThrow(expect.objectContaining({ code: 'INPUT_INVALID' }));
  });
});

describe('convert never deletes its source (item 20)', () => {
  it('refuses --out equal to the source bundle, its parent, an ancestor, or a symlink to one, even with --force', async () => {
    const base = join(dir, 'conv', 'deep');
    const src = join(base, 'bundle');
    mkdirSync(base, { recursive: true });
    cpSync(join(BUNDLES, 'torch-features'), src, { recursive: true });
    symlinkSync(base, join(dir, 'link-to-deep'));
    for (const out of [
      src,
      `${src}/`,
      base,
      join(dir, 'conv'),
      join(src, '.'),
      join(dir, 'link-to-deep'),
      join(dir, 'link-to-deep', 'bundle'),
    ]) {
      const r = await cli(['convert', '--from', join(src, 'model.pt'), '--to', 'onnx', '--out', out, '--force']);
      expect([out, r.code, existsSync(join(src, 'model.pt'))]).toEqual([out, 2, true]);
      expect(r.stderr).toMatch(coded('USAGE'));
    }
    const ok = await cli([
      'convert',
      '--from',
      join(src, 'model.pt'),
      '--to',
      'onnx',
      '--out',
      join(src, 'converted'),
      '--force',
    ]);
    expect(ok.code).toBe(0);
  });
});

describe('logits --features that overflow float32 (item 21)', () => {
  const features = (fill: (i: number) => number) => {
    const file = join(dir, `f-${Math.random().toString(36).slice(2)}.json`);
    writeFileSync(file, JSON.stringify(Array.from({ length: 3779 }, (_, i) => fill(i))));
    return file;
  };
  it('a feature beyond float32 is INPUT_INVALID (exit 2)', async () => {
    const rand = new Prng(21);
    for (const big of [3.5e38, -1e39, 1e300]) {
      const at = rand.int(3779);
      const r = await cli([
        'logits',
        '--bundle',
        join(BUNDLES, 'onnx-spec-small'),
        '--features',
        features((i) => (i === at ? big : 0)),
      ]);
      expect([big, r.code, r.stdout]).toEqual([big, 2, '']);
      expect(r.stderr).toMatch(coded('INPUT_INVALID'));
    }
  });
  it('a model whose logits come out non-finite is LOGITS_INVALID (exit 1), never null logits', async () => {
    for (const bad of [NaN, Infinity, -Infinity]) {
      const script = (input: { issue: { issue_id: string } }) => {
        const logits = prefer({ swarm: 0, candidates: 0, minutes: 0, iterations: 4 });
        if (input.issue.issue_id !== 'warmup') logits.minutes[2] = bad;
        return logits;
      };
      const registry = new BackendRegistry()
        .register(heuristicPlugin)
        .register(scriptedPlugin({ script: script as never }));
      const out: string[] = [];
      const err: string[] = [];
      const io: CliIO = {
        stdout: (t) => out.push(t),
        stderr: (t) => err.push(t),
        cwd: ROOT,
        env: {},
        isTTY: false,
        logger: silentLogger,
      };
      const code = await logitsCommand.run(
        ['--bundle', makeScriptedBundle(), '--input', inputFile],
        io,
        cliDeps(registry),
      );
      expect([bad, code, out.join('')]).toEqual([bad, 1, '']);
      expect(err.join('')).toMatch(coded('LOGITS_INVALID'));
    }
  });
});

describe('lint stylish output escapes control characters (item 17)', () => {
  it('file names, pointers, messages and bundle dirs print no raw control characters', () => {
    const rand = new Prng(17);
    for (let n = 0; n < 50; n++) {
      const nasty = `${rand.text(6)}\u001b[31m\r\n\u009b2J\u202e${rand.text(6)}\u0007`;
      const text = formatStylish({
        bundles: [
          {
            dir: `/tmp/${nasty}`,
            problems: [
              {
                severity: 'error',
                code: 'PICKLE_GLOBAL_REFUSED',
                file: `model${nasty}.pt`,
                pointer: `/a${nasty}`,
                message: `global os.${nasty}system refused`,
              },
            ],
          },
        ],
        errorCount: 1,
        warningCount: 0,
      } as never);
      const lines = text.split('\n');
      // eslint-disable-next-line no-control-regex -- the assertion is about control characters
      expect(text).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/);
      expect(lines.length).toBe(5); // dir, one problem line, blank, summary, final newline
    }
  });
});
