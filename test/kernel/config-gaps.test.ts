/**
 * Config and workcell inputs a hostile but fair user tries: each is a coded error at its file:line:col (exit 2 from
 * `run`), a warning, or a diagnosed failure, never an uncoded JS error.
 */
import { chmodSync, existsSync, lstatSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { CliIO } from '../../core/cli/command.js';
import { runCommand } from '../../core/cli/commands/run.js';
import { runKernel } from '../../core/kernel/kernel.js';
import { parseKernelConfig } from '../../core/kernel/load-config.js';
import { runIssue } from '../../core/kernel/runner.js';
import { workcellPaths } from '../../core/kernel/workcell-paths.js';
import { silentLogger } from '../../core/logger.js';
import type { ExecutedPlanRecord } from '../../core/records.js';
import { issue, kernelConfig, runnerYaml, tempDir, writeRunnerScript } from './kernel-helpers.js';
import { cliDeps } from '../support/cli-deps.js';
import { createDefaultRegistry } from '../../plugins/index.js';

const dirs: string[] = [];
function scratch(): string {
  const dir = tempDir('cyntra-gaps-');
  dirs.push(dir);
  return dir;
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function parseError(text: string): { code?: string; context?: Record<string, unknown>; message: string } {
  try {
    parseKernelConfig(text, '/cfg/config.yaml', '/cfg');
  } catch (e) {
    return e as { code?: string; context?: Record<string, unknown>; message: string };
  }
  throw new Error('expected the config to be rejected');
}

/** `run --config config.yaml` in `dir` with `yaml` and one issue line; exit code, stderr, whether workcells exist. */
async function run(dir: string, yaml: string, issuesLine = '{"id":"A"}', extra: string[] = []) {
  writeFileSync(join(dir, 'config.yaml'), yaml);
  writeFileSync(join(dir, 'issues.jsonl'), `${issuesLine}\n`);
  const err: string[] = [];
  const io: CliIO = {
    stdout: () => undefined,
    stderr: (t) => err.push(t),
    cwd: dir,
    env: {},
    isTTY: false,
    logger: silentLogger,
  };
  const code = await runCommand.run(
    ['--config', 'config.yaml', '--issues', 'issues.jsonl', '--log-level', 'silent', ...extra],
    io,
    cliDeps(),
  );
  return { code, stderr: err.join('') };
}

const ONE_LINE = (dir: string, keyPath: string) =>
  new RegExp(
    `^cyntra-planner: CONFIG_INVALID: ${join(dir, 'config.yaml').replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:\\d+:\\d+: ${keyPath.replace(/\./g, '\\.')}: [^\\n]+\\n$`,
  );

describe('config gaps', () => {
  it('a YAML alias bomb is CONFIG_PARSE, not an uncoded ReferenceError', () => {
    const levels = ['a: &a ["x","x","x","x","x","x","x","x","x","x"]'];
    for (let i = 1; i < 7; i++) {
      const prev = String.fromCharCode(96 + i);
      const name = String.fromCharCode(97 + i);
      levels.push(`${name}: &${name} [${Array(10).fill(`*${prev}`).join(',')}]`);
    }
    expect(parseError(`${levels.join('\n')}\n`)).toMatchObject({
      code: 'CONFIG_PARSE',
      context: { file: '/cfg/config.yaml', line: 1, col: 1 },
    });
  });

  it('.inf, -.inf and .nan are refused at their key instead of being replaced by the default', () => {
    expect(parseError('planner:\n  inference:\n    timeout_ms: .inf\n')).toMatchObject({
      code: 'CONFIG_INVALID',
      context: { line: 3, col: 17, keyPath: 'planner.inference.timeout_ms' },
    });
    expect(parseError('kernel:\n  runner:\n    time_scale: -.inf\n')).toMatchObject({
      code: 'CONFIG_INVALID',
      context: { keyPath: 'kernel.runner.time_scale' },
    });
    expect(parseError('planner:\n  inference:\n    confidence_threshold: .nan\n')).toMatchObject({
      code: 'CONFIG_INVALID',
      context: { keyPath: 'planner.inference.confidence_threshold' },
    });
  });

  it('keys named like Object.prototype members are unknown keys too', () => {
    const { warnings } = parseKernelConfig(
      'planner:\n  constructor: 1\n  toString: 2\n  hasOwnProperty: 3\n__proto__x: 1\n',
      '/cfg/config.yaml',
      '/cfg',
    );
    expect(warnings.map((w) => w.keyPath).sort()).toEqual([
      '__proto__x',
      'planner.constructor',
      'planner.hasOwnProperty',
      'planner.toString',
    ]);
    expect(warnings.find((w) => w.keyPath === 'planner.toString')).toMatchObject({ line: 3, col: 3 });
  });

  it('`command: [""]`, a runner binary that does not exist, a NUL in the runner env: exit 2 at the key, nothing run', async () => {
    for (const [command, keyPath] of [
      ['[""]', 'kernel.runner.command.0'],
      ['["./no-such-runner"]', 'kernel.runner.command.0'],
      ['["no-such-runner-on-path-xyz"]', 'kernel.runner.command.0'],
    ] as const) {
      const dir = scratch();
      const r = await run(dir, `kernel:\n  workcells: wc\n  runner:\n    command: ${command}\n`);
      expect(r.code, command).toBe(2);
      expect(r.stderr, command).toMatch(ONE_LINE(dir, keyPath));
      expect(existsSync(join(dir, 'wc')), command).toBe(false);
    }
    const dir = scratch();
    const r = await run(dir, `kernel:\n  runner:\n    command: ["/bin/true"]\n    env:\n      X: "a\\0b"\n`);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(ONE_LINE(dir, 'kernel.runner.env.X'));
  });

  it('a runner given relative to the project root is found there', async () => {
    const dir = scratch();
    writeFileSync(join(dir, 'runner.sh'), '#!/bin/sh\nexit 0\n');
    chmodSync(join(dir, 'runner.sh'), 0o755);
    const r = await run(dir, `kernel:\n  workcells: wc\n  runner:\n    command: ["./runner.sh"]\n`);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(readFileSync(workcellPaths(join(dir, 'wc'), 'A').manifest, 'utf8')).run.status).toBe('success');
  });

  it('a workcells path that is a file is a config error (exit 2), not a raw ENOTDIR', async () => {
    const dir = scratch();
    writeFileSync(join(dir, 'wc'), 'a file');
    const r = await run(dir, `kernel:\n  workcells: wc\n  runner:\n    command: ["/bin/true"]\n`);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(ONE_LINE(dir, 'kernel.workcells'));
    expect(readFileSync(join(dir, 'wc'), 'utf8')).toBe('a file');
  });

  it('an issue id with a NUL byte is exit 2 naming issues.jsonl:1, before anything runs', async () => {
    const dir = scratch();
    const r = await run(dir, `kernel:\n  workcells: wc\n  runner:\n    command: ["/bin/true"]\n`, '{"id":"A\\u0000B"}');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/issues\.jsonl:1: [^\n]+\n$/);
    expect(existsSync(join(dir, 'wc'))).toBe(false);
  });
});

describe('hostile workcells', () => {
  it('a symlink planted as a candidate log is replaced, never followed: the file outside is untouched', async () => {
    const dir = scratch();
    const config = kernelConfig(dir, runnerYaml(writeRunnerScript(dir)));
    const outside = join(scratch(), 'precious.txt');
    writeFileSync(outside, 'precious');
    const paths = workcellPaths(config.kernel.workcells, 'A');
    mkdirSync(paths.dir, { recursive: true });
    symlinkSync(outside, paths.candidateLog(0));
    const report = await runKernel(config, [issue('A')], { registry: createDefaultRegistry() });
    expect(report.issues.map((r) => r.outcome)).toEqual(['success']);
    expect(readFileSync(outside, 'utf8')).toBe('precious');
    expect(lstatSync(paths.candidateLog(0)).isFile()).toBe(true);
  });

  it('a runner that cannot start fails with exit 127 and says why in its log (not an empty log)', async () => {
    const dir = scratch();
    const plan = {
      swarm_id_executed: 'serial_handoff',
      max_candidates_executed: 1,
      timeout_seconds_executed: 60,
      max_iterations_executed: null,
    } as ExecutedPlanRecord;
    const runner = { command: [join(dir, 'gone')], shell: false, timeScale: 0.01, killGraceMs: 100, env: {} };
    const log = join(dir, 'c0.log');
    const result = await runIssue(runner, {
      issueId: 'A',
      plan,
      workcellDir: dir,
      issueFile: join(dir, 'i.json'),
      cwd: dir,
      logFile: () => log,
    });
    expect(result.status).toBe('failed');
    expect(result.candidates[0].exitCode).toBe(127);
    expect(readFileSync(log, 'utf8')).toMatch(/cannot start the runner command .*gone.*ENOENT/);
  });
});
