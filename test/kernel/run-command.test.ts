import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runCommand } from '../../core/cli/commands/run.js';
import { main } from '../../core/cli/main.js';
import { workcellPaths } from '../../core/kernel/workcell-paths.js';
import { cliDeps } from '../support/cli-deps.js';
import { runnerYaml, scriptedPlannerYaml, tempDir, writeRunnerScript } from './kernel-helpers.js';
import { captureIO } from '../support/cli-run.js';

const SCRIPTED_PLUGIN = join(dirname(fileURLToPath(import.meta.url)), 'scripted-kernel-plugin.ts');

const io = captureIO;

function setUp(configYaml: string) {
  const dir = tempDir();
  writeFileSync(join(dir, 'config.yaml'), configYaml.replace('SCRIPT', writeRunnerScript(dir)));
  writeFileSync(
    join(dir, 'issues.jsonl'),
    '{"id":"A","dk_risk":"low","dk_size":"S","tags":["x"]}\n\n# comment\n{"id":"B","dk_risk":"high","dk_size":"M"}\n',
  );
  return dir;
}

const BASE = `planner:\n  enabled: true\n  inference:\n    confidence_threshold: 0.6\n${runnerYaml('SCRIPT')}`;

describe('cyntra-planner run', () => {
  it('processes the queue, prints a progress line per issue and a summary table, exit 0', async () => {
    const dir = setUp(BASE);
    const { io: cli, out } = io(dir);
    const code = await runCommand.run(
      ['--config', 'config.yaml', '--issues', 'issues.jsonl', '--log-level', 'silent'],
      cli,
      cliDeps(),
    );
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
    const args = [
      '--config',
      'config.yaml',
      '--issues',
      'issues.jsonl',
      '--log-level',
      'silent',
      '--planner-mode',
      'shadow',
      '--planner-model',
      'missing-bundle',
      '--workcells',
      'elsewhere',
    ];
    expect(await runCommand.run(args, cli, cliDeps())).toBe(0);
    const m = JSON.parse(readFileSync(workcellPaths(join(dir, 'elsewhere'), 'A').manifest, 'utf8'));
    expect(m.planner.mode).toBe('shadow');
    // shadow mode, and the model named by --planner-model was asked for (and is missing)
    expect(m.planner.planner_action.reason).toBe('shadow_mode;model_unavailable');
    expect(m.planner.executed_plan.fallback_reason).toBe('shadow_mode');
    const disabled = io(dir);
    expect(
      await runCommand.run(
        [...args.slice(0, 6), '--planner-mode', 'disabled', '--workcells', 'off'],
        disabled.io,
        cliDeps(),
      ),
    ).toBe(0);
    const off = JSON.parse(readFileSync(workcellPaths(join(dir, 'off'), 'A').manifest, 'utf8'));
    expect(off.planner).toMatchObject({ mode: 'disabled', planner_action: null, gate_reason: 'planner_disabled' });
  });

  it('--confidence-threshold overrides the file: the same model plan is taken at 0.6 and refused at 0.95', async () => {
    const dir = setUp(
      `${scriptedPlannerYaml('', '  inference:\n    confidence_threshold: 0.6\n').replace('planner:\n', `planner:\n  plugins: ["${SCRIPTED_PLUGIN}"]\n`)}${runnerYaml('SCRIPT')}`,
    );
    const base = ['--config', 'config.yaml', '--issues', 'issues.jsonl', '--log-level', 'silent'];
    expect(await runCommand.run([...base, '--workcells', 'file'], io(dir).io, cliDeps())).toBe(0);
    const taken = JSON.parse(readFileSync(workcellPaths(join(dir, 'file'), 'A').manifest, 'utf8')).planner
      .planner_action;
    expect(taken).toMatchObject({ abstain_to_default: false, reason: null, swarm_id: 'speculate_vote' });
    expect(taken.confidence).toBeGreaterThanOrEqual(0.6);
    expect(taken.confidence).toBeLessThan(0.95);
    expect(
      await runCommand.run([...base, '--confidence-threshold', '0.95', '--workcells', 'flag'], io(dir).io, cliDeps()),
    ).toBe(0);
    const refused = JSON.parse(readFileSync(workcellPaths(join(dir, 'flag'), 'A').manifest, 'utf8')).planner;
    expect(refused.planner_action).toMatchObject({
      abstain_to_default: true,
      reason: `low_confidence_${taken.confidence.toFixed(3)}`,
    });
    expect(refused.executed_plan.swarm_id_executed).toBe('serial_handoff');
  });

  it('exits 2 with one line when no runner command is configured, or a configured plugin cannot load', async () => {
    const noRunner = setUp('kernel:\n  workcells: wc\n');
    const a = io(noRunner);
    expect(
      await runCommand.run(
        ['--config', 'config.yaml', '--issues', 'issues.jsonl', '--log-level', 'silent'],
        a.io,
        cliDeps(),
      ),
    ).toBe(2);
    expect(a.err.join('')).toMatch(
      new RegExp(
        `^cyntra-planner: [A-Z_]+: ${join(noRunner, 'config.yaml')}:\\d+:\\d+: kernel\\.runner\\.command: [^\\n]*\\n$`,
      ),
    );
    expect(existsSync(join(noRunner, 'wc'))).toBe(false);
    const badPlugin = setUp(`planner:\n  plugins: ["./no-such-plugin.mjs"]\n${runnerYaml('SCRIPT')}`);
    const b = io(badPlugin);
    expect(
      await runCommand.run(
        ['--config', 'config.yaml', '--issues', 'issues.jsonl', '--log-level', 'silent'],
        b.io,
        cliDeps(),
      ),
    ).toBe(2);
    expect(b.err.join('')).toMatch(
      new RegExp(
        `^cyntra-planner: [A-Z_]+: ${join(badPlugin, 'config.yaml')}:2:13: planner\\.plugins\\.0: [^\\n]*\\n$`,
      ),
    );
  });

  it('a --log-file that cannot be opened is bad usage (exit 2)', async () => {
    const dir = setUp(BASE);
    writeFileSync(join(dir, 'plain-file'), 'not a directory');
    const args = [
      'run',
      '--config',
      'config.yaml',
      '--issues',
      'issues.jsonl',
      '--log-file',
      join(dir, 'plain-file', 'run.log'),
    ];
    await expect(runCommand.run(args.slice(1), io(dir).io, cliDeps())).rejects.toMatchObject({
      code: 'USAGE',
      context: { file: join(dir, 'plain-file', 'run.log') },
    });
    const viaMain = io(dir);
    expect(await main(args, viaMain.io)).toBe(2);
    expect(viaMain.err.join('')).toMatch(/^cyntra-planner: USAGE: [^\n]*\n$/);
  });

  it('a bad config exits 2 with one file:line:col line', async () => {
    const dir = setUp(`planner:\n  inference:\n    timeout_ms: -5\n${runnerYaml('SCRIPT')}`);
    const { io: cli, err } = io(dir);
    expect(await runCommand.run(['--config', 'config.yaml', '--issues', 'issues.jsonl'], cli, cliDeps())).toBe(2);
    expect(err.join('')).toMatch(
      new RegExp(`^cyntra-planner: [A-Z_]+: ${join(dir, 'config.yaml')}:3:17: planner.inference.timeout_ms: .*\\n$`),
    );
  });

  it('bad usage and bad issue files exit 2', async () => {
    const dir = setUp(BASE);
    writeFileSync(join(dir, 'bad.jsonl'), '{"id":"A"}\n{"title":"no id"}\n');
    const bad = io(dir);
    expect(await runCommand.run(['--config', 'config.yaml', '--issues', 'bad.jsonl'], bad.io, cliDeps())).toBe(2);
    expect(bad.err.join('')).toContain(`${join(dir, 'bad.jsonl')}:2:`);
    await expect(runCommand.run(['--planner-mode', 'sometimes'], io(dir).io, cliDeps())).rejects.toMatchObject({
      code: 'USAGE',
    });
    await expect(runCommand.run(['--confidence-threshold', '2'], io(dir).io, cliDeps())).rejects.toMatchObject({
      code: 'USAGE',
    });
    const none = io(dir);
    expect(await runCommand.run(['--config', 'config.yaml', '--log-level', 'silent'], none.io, cliDeps())).toBe(2);
  });

  it('logs pino JSON to --log-file, and compact lines to a terminal', async () => {
    const dir = setUp(BASE);
    const { io: cli } = io(dir);
    const logFile = join(dir, 'logs', 'run.log');
    expect(
      await runCommand.run(
        [
          '--config',
          'config.yaml',
          '--issues',
          'issues.jsonl',
          '--log-level',
          'info',
          '--log-file',
          logFile,
          '--workcells',
          'w1',
        ],
        cli,
        cliDeps(),
      ),
    ).toBe(0);
    const entries = readFileSync(logFile, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(
      entries
        .filter((e) => e.msg === 'issue finished')
        .map((e) => e.issueId)
        .sort(),
    ).toEqual(['A', 'B']);
    const tty = io(dir);
    const ttyIo = { ...tty.io, isTTY: true };
    expect(
      await runCommand.run(
        ['--config', 'config.yaml', '--issues', 'issues.jsonl', '--log-level', 'info', '--workcells', 'w2'],
        ttyIo,
        cliDeps(),
      ),
    ).toBe(0);
    expect(tty.err.join('')).toMatch(/^INFO +issue finished issueId=A status=success durationMs=\d+$/m);
    await expect(runCommand.run(['--log-level', 'loud'], io(dir).io, cliDeps())).rejects.toMatchObject({
      code: 'USAGE',
    });
  });

  it('unknown keys are warned about on stderr but the run goes on', async () => {
    const dir = setUp(BASE.replace('  enabled: true', '  enabled: true\n  enabeld: false'));
    const { io: cli, err } = io(dir);
    expect(
      await runCommand.run(
        ['--config', 'config.yaml', '--issues', 'issues.jsonl', '--log-level', 'silent'],
        cli,
        cliDeps(),
      ),
    ).toBe(0);
    expect(err.join('')).toMatch(
      /^warning: .*config\.yaml:3:3: unknown key "planner\.enabeld"; did you mean "planner\.enabled"\?$/m,
    );
  });
});
