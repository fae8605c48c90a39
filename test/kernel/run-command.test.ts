import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCommand } from '../../core/cli/commands/run.js';
import type { CliIO } from '../../core/cli/command.js';
import { workcellPaths } from '../../core/kernel/workcell-paths.js';
import { silentLogger } from '../../core/logger.js';
import { runnerYaml, tempDir, writeRunnerScript } from './kernel-helpers.js';

function io(cwd: string) {
  const out: string[] = [];
  const err: string[] = [];
  const value: CliIO = { stdout: (t) => out.push(t), stderr: (t) => err.push(t), cwd, env: {}, isTTY: false, logger: silentLogger };
  return { io: value, out, err };
}

function setUp(configYaml: string) {
  const dir = tempDir();
  writeFileSync(join(dir, 'config.yaml'), configYaml.replace('SCRIPT', writeRunnerScript(dir)));
  writeFileSync(join(dir, 'issues.jsonl'), '{"id":"A","dk_risk":"low","dk_size":"S","tags":["x"]}\n\n# comment\n{"id":"B","dk_risk":"high","dk_size":"M"}\n');
  return dir;
}

const BASE = `planner:\n  enabled: true\n  inference:\n    confidence_threshold: 0.6\n${runnerYaml('SCRIPT')}`;

describe('cyntra-planner run', () => {
  it('processes the queue, prints a progress line per issue and a summary table, exit 0', async () => {
    const dir = setUp(BASE);
    const { io: cli, out } = io(dir);
    const code = await runCommand.run(['--config', 'config.yaml', '--issues', 'issues.jsonl', '--log-level', 'silent'], cli);
    expect(code).toBe(0);
    const text = out.join('');
    expect(text).toMatch(/^\[1\/2\] A serial_handoff c=1 m=30 i=NA .* success /m);
    expect(text).toMatch(/^\[2\/2\] B speculate_vote c=3 m=45 i=NA .* success /m);
    expect(text).toMatch(/^issue +swarm +budgets c\/m\/i +confidence +backend +fallback reason +outcome$/m);
    expect(text).toContain('2 issues: 2 success');
  });

  it('each §4.4 override wins over the file', async () => {
    const dir = setUp(BASE);
    const { io: cli } = io(dir);
    const args = ['--config', 'config.yaml', '--issues', 'issues.jsonl', '--log-level', 'silent', '--planner-mode', 'shadow', '--confidence-threshold', '0.95', '--planner-model', 'missing-bundle', '--workcells', 'elsewhere'];
    expect(await runCommand.run(args, cli)).toBe(0);
    const m = JSON.parse(readFileSync(workcellPaths(join(dir, 'elsewhere'), 'A').manifest, 'utf8'));
    expect(m.planner.mode).toBe('shadow');
    expect(m.planner.planner_action.reason).toMatch(/^shadow_mode/);
    expect(m.planner.executed_plan.fallback_reason).toBe('shadow_mode');
    const disabled = io(dir);
    expect(await runCommand.run([...args.slice(0, 6), '--planner-mode', 'disabled', '--workcells', 'off'], disabled.io)).toBe(0);
    const off = JSON.parse(readFileSync(workcellPaths(join(dir, 'off'), 'A').manifest, 'utf8'));
    expect(off.planner).toMatchObject({ mode: 'disabled', planner_action: null, gate_reason: 'planner_disabled' });
  });

  it('a bad config exits 2 with one file:line:col line', async () => {
    const dir = setUp(`planner:\n  inference:\n    timeout_ms: -5\n${runnerYaml('SCRIPT')}`);
    const { io: cli, err } = io(dir);
    expect(await runCommand.run(['--config', 'config.yaml', '--issues', 'issues.jsonl'], cli)).toBe(2);
    expect(err.join('')).toMatch(new RegExp(`^${join(dir, 'config.yaml')}:3:17: planner.inference.timeout_ms: .*\\n$`));
  });

  it('bad usage and bad issue files exit 2', async () => {
    const dir = setUp(BASE);
    writeFileSync(join(dir, 'bad.jsonl'), '{"id":"A"}\n{"title":"no id"}\n');
    const bad = io(dir);
    expect(await runCommand.run(['--config', 'config.yaml', '--issues', 'bad.jsonl'], bad.io)).toBe(2);
    expect(bad.err.join('')).toContain(`${join(dir, 'bad.jsonl')}:2:`);
    await expect(runCommand.run(['--planner-mode', 'sometimes'], io(dir).io)).rejects.toMatchObject({ code: 'USAGE' });
    await expect(runCommand.run(['--confidence-threshold', '2'], io(dir).io)).rejects.toMatchObject({ code: 'USAGE' });
    const none = io(dir);
    expect(await runCommand.run(['--config', 'config.yaml', '--log-level', 'silent'], none.io)).toBe(2);
  });

  it('logs pino JSON to --log-file, and compact lines to a terminal', async () => {
    const dir = setUp(BASE);
    const { io: cli } = io(dir);
    const logFile = join(dir, 'logs', 'run.log');
    expect(await runCommand.run(['--config', 'config.yaml', '--issues', 'issues.jsonl', '--log-level', 'info', '--log-file', logFile, '--workcells', 'w1'], cli)).toBe(0);
    const entries = readFileSync(logFile, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(entries.filter((e) => e.msg === 'issue finished').map((e) => e.issueId).sort()).toEqual(['A', 'B']);
    const tty = io(dir);
    const ttyIo = { ...tty.io, isTTY: true };
    expect(await runCommand.run(['--config', 'config.yaml', '--issues', 'issues.jsonl', '--log-level', 'info', '--workcells', 'w2'], ttyIo)).toBe(0);
    expect(tty.err.join('')).toMatch(/^INFO +issue finished issueId=A status=success durationMs=\d+$/m);
    await expect(runCommand.run(['--log-level', 'loud'], io(dir).io)).rejects.toMatchObject({ code: 'USAGE' });
  });

  it('unknown keys are warned about on stderr but the run goes on', async () => {
    const dir = setUp(BASE.replace('  enabled: true', '  enabled: true\n  enabeld: false'));
    const { io: cli, err } = io(dir);
    expect(await runCommand.run(['--config', 'config.yaml', '--issues', 'issues.jsonl', '--log-level', 'silent'], cli)).toBe(0);
    expect(err.join('')).toMatch(/^warning: .*config\.yaml:3:3: unknown key "planner\.enabeld"; did you mean "planner\.enabled"\?$/m);
  });
});
