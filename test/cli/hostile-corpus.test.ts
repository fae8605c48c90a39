/**
 * The "Done when" of issue 13: the built CLI over a corpus of hostile inputs, built here in a temp dir (bad JSON,
 * deep nesting, huge numbers, NUL bytes, missing files, directories where files are expected, a zip bomb, bad flags
 * for every command). No output may show a JS stack frame, an internal module, an unhandled event or a raw JS error;
 * every failure is one coded line `cyntra-planner: CODE: …`. Runs the real binary, a few at a time.
 */
import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildPlannerInput } from '../../core/planner-input.js';
import { lyingArchive } from '../support/lying-zip.js';

const ROOT = resolve(import.meta.dirname, '../..');
const BIN = join(ROOT, 'dist/core/cli/main.js');
const BUNDLES = join(ROOT, 'fixtures/bundles');
const PARALLEL = 3;
const CASE_TIMEOUT_MS = 60_000;

/** What must never reach a user: stack frames (raw or inside a JSON log line), internals, unhandled events, raw JS errors. */
const FORBIDDEN: ReadonlyArray<[string, RegExp]> = [
  ['stack frame', /^\s+at \S/m],
  ['stack frame in a log line', /\\n\s+at \S/],
  ['node internals', /node:internal/],
  ['unhandled event', /Unhandled|UnhandledPromiseRejection|uncaughtException/],
  ['raw JS error', /\b(RangeError|TypeError|ReferenceError|SyntaxError|EvalError|URIError)\b(:|\s\[)/],
];
const CODED = /^cyntra-planner: [A-Z][A-Z0-9_]*: \S/;

interface Case {
  readonly name: string;
  readonly argv: readonly string[];
  /** Exit codes accepted (default: 1 or 2). */
  readonly exits?: readonly number[];
  readonly cwd?: string;
}

interface Outcome {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

let dir: string;

function file(name: string, content: string | Buffer): string {
  const path = join(dir, name);
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, content);
  return path;
}

/** A ~150-byte zip whose ZIP64 end record declares 4 billion entries. */
const zipBomb = (): Buffer => Buffer.from(lyingArchive(4_000_000_000, 0, true));

function corpus(): Case[] {
  const input = JSON.stringify(buildPlannerInput({ issue: { id: 'C-1' }, now: 0 }));
  const good = file('input.json', input);
  const deep = file('deep.json', input.replace('"issue":{', `"issue":{"x":${'['.repeat(5000)}${']'.repeat(5000)},`));
  const nul = file('nul.json', input.replace('"C-1"', '"C\u0000-1"').replace('{', '{\u0000'));
  const huge = file('huge.json', input.replace('"dk_attempts":0', '"dk_attempts":1e999'));
  const bad = file('bad.json', '{"schema_version": ');
  const strings = file('strings.json', '["a", "b"]');
  const overflow = file('overflow.json', JSON.stringify(Array.from({ length: 3779 }, (_, i) => (i === 3 ? 1e39 : 0))));
  const bomb = join(dir, 'bomb-bundle');
  cpSync(join(BUNDLES, 'torch-features'), bomb, { recursive: true });
  writeFileSync(join(bomb, 'model.pt'), zipBomb());
  const brokenMeta = join(dir, 'broken-meta');
  cpSync(join(BUNDLES, 'onnx-spec-small'), brokenMeta, { recursive: true });
  writeFileSync(join(brokenMeta, 'metadata.json'), '[\u0000\u001b[31m');
  const badYaml = file('bad.yaml', 'planner: [unclosed\n');
  const bigTimeout = file(
    'big-timeout.yaml',
    'planner:\n  inference:\n    timeout_ms: 99999999999\nkernel:\n  runner:\n    command: ["true"]\n',
  );
  const deepIssues = file('deep-issues.jsonl', `{"id":"a"}\n{"id":"b","x":${'['.repeat(5000)}${']'.repeat(5000)}}\n`);
  const nulIssues = file('nul-issues.jsonl', '{"id":"a"}\n\u0000\u0000\n');
  const asDir = join(dir, 'a-directory');
  mkdirSync(asDir, { recursive: true });
  const missing = join(dir, 'does-not-exist');
  const spec = join(BUNDLES, 'onnx-spec-small');
  return [
    { name: 'no command', argv: [] },
    { name: 'unknown command', argv: ['frobnicate'] },
    { name: 'predict without --input', argv: ['predict'] },
    { name: 'predict unknown flag', argv: ['predict', '--input', good, '--bogus'] },
    { name: 'predict missing file', argv: ['predict', '--input', missing] },
    { name: 'predict directory as input', argv: ['predict', '--input', asDir] },
    { name: 'predict /dev/zero', argv: ['predict', '--input', '/dev/zero'] },
    { name: 'predict bad JSON', argv: ['predict', '--input', bad] },
    { name: 'predict NUL bytes', argv: ['predict', '--input', nul] },
    { name: 'predict deep nesting', argv: ['predict', '--input', deep] },
    { name: 'predict huge number', argv: ['predict', '--input', huge] },
    { name: 'predict --threshold ""', argv: ['predict', '--input', good, '--threshold='] },
    { name: 'predict --timeout-ms 0x10', argv: ['predict', '--input', good, '--timeout-ms', '0x10'] },
    { name: 'predict --bundle missing, strict', argv: ['predict', '--input', good, '--bundle', missing, '--strict'] },
    { name: 'encode zip-bomb bundle', argv: ['encode', '--bundle', bomb, '--input', good] },
    { name: 'logits strings as features', argv: ['logits', '--bundle', spec, '--features', strings] },
    { name: 'logits float32 overflow', argv: ['logits', '--bundle', spec, '--features', overflow] },
    { name: 'lint no dirs', argv: ['lint'] },
    { name: 'lint missing dir', argv: ['lint', missing] },
    { name: 'lint zip bomb', argv: ['lint', bomb] },
    { name: 'lint broken metadata with escapes', argv: ['lint', brokenMeta] },
    { name: 'lint --max-warnings 0x1', argv: ['lint', '--max-warnings', '0x1', spec] },
    { name: 'convert without --to', argv: ['convert', '--from', join(bomb, 'model.pt'), '--out', join(dir, 'out1')] },
    {
      name: 'convert zip bomb',
      argv: ['convert', '--from', join(bomb, 'model.pt'), '--to', 'onnx', '--out', join(dir, 'out2')],
    },
    {
      name: 'convert --out is the source',
      argv: ['convert', '--from', join(bomb, 'model.pt'), '--to', 'tfjs', '--out', bomb, '--force'],
    },
    { name: 'run bad YAML', argv: ['run', '--config', badYaml] },
    { name: 'run timeout over 2^31-1', argv: ['run', '--config', bigTimeout, '--issues', deepIssues] },
    {
      name: 'run deep issue',
      argv: [
        'run',
        '--config',
        join(ROOT, 'fixtures/demo/config.yaml'),
        '--issues',
        deepIssues,
        '--workcells',
        join(dir, 'wc1'),
      ],
    },
    {
      name: 'run NUL-byte issue line',
      argv: [
        'run',
        '--config',
        join(ROOT, 'fixtures/demo/config.yaml'),
        '--issues',
        nulIssues,
        '--workcells',
        join(dir, 'wc2'),
      ],
    },
    { name: 'run --confidence-threshold abc', argv: ['run', '--confidence-threshold', 'abc'] },
    { name: 'backends bad flag', argv: ['backends', '--bogus'] },
  ];
}

function runCase(c: Case): Promise<Outcome> {
  return new Promise((done) => {
    const child = spawn(process.execPath, [BIN, ...c.argv], {
      cwd: c.cwd ?? dir,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, CYNTRA_PLANNER_LOG_LEVEL: 'warn' },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout = (stdout + d.toString('utf8')).slice(-200_000)));
    child.stderr.on('data', (d: Buffer) => (stderr = (stderr + d.toString('utf8')).slice(-200_000)));
    const timer = setTimeout(() => child.kill('SIGKILL'), CASE_TIMEOUT_MS);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      done({ code, signal, stdout, stderr });
    });
  });
}

async function runAll(cases: readonly Case[]): Promise<Outcome[]> {
  const out: Outcome[] = new Array(cases.length);
  let next = 0;
  const worker = async () => {
    while (next < cases.length) {
      const i = next++;
      out[i] = await runCase(cases[i]);
    }
  };
  await Promise.all(Array.from({ length: PARALLEL }, worker));
  return out;
}

/** Every problem with one case's output: empty when it behaved. */
function problemsOf(c: Case, o: Outcome): string[] {
  const problems: string[] = [];
  if (o.signal) problems.push(`killed by ${o.signal} (hung for ${CASE_TIMEOUT_MS} ms?)`);
  else if (!(c.exits ?? [1, 2]).includes(o.code ?? -1))
    problems.push(`exit ${o.code}, expected ${(c.exits ?? [1, 2]).join(' or ')}`);
  for (const [what, re] of FORBIDDEN) {
    if (re.test(o.stdout) || re.test(o.stderr))
      problems.push(`${what}: ${(re.exec(o.stderr) ?? re.exec(o.stdout))?.[0]}`);
  }
  const lines = o.stderr.split('\n').filter((l) => l.length > 0 && !l.startsWith('{'));
  const mustExplain = o.code === 2 || (o.code === 1 && o.stdout.length === 0);
  if (mustExplain && !lines.some((l) => CODED.test(l)))
    problems.push(`no coded error line on stderr: ${JSON.stringify(o.stderr.slice(0, 300))}`);
  const uncoded = lines.filter(
    (l) =>
      !CODED.test(l) &&
      !/^(cyntra-planner: )?warning: /.test(l) &&
      !/^Usage: |^\s|^Commands:|^Run `|^Library logs|^Exit codes/.test(l),
  );
  if (uncoded.length > 0) problems.push(`uncoded stderr lines: ${JSON.stringify(uncoded.slice(0, 3))}`);
  return problems;
}

describe('hostile CLI corpus', () => {
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'cyntra-corpus-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it.runIf(existsSync(BIN))(
    'no stack trace, internal module, unhandled event or raw JS error; every failure is one coded line',
    async () => {
      const cases = corpus();
      const outcomes = await runAll(cases);
      const report = cases
        .map((c, i) => ({ name: c.name, problems: problemsOf(c, outcomes[i]) }))
        .filter((r) => r.problems.length > 0);
      expect(report).toEqual([]);
    },
    300_000,
  );
});
