/**
 * Plugins from the CLI (issues 13 item 11, 15): a plugin whose import never settles makes run, backends and lint exit 2
 * with PLUGIN_LOAD_TIMEOUT (the built binary, so a drained event loop cannot pass for success); predict, encode and
 * logits load plugins with --plugin and --config; `model.type` naming no backend exits 2 from run, as --type does.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildPlannerInput } from '../../core/planner-input.js';
import { runCli } from '../support/cli-run.js';

const ROOT = resolve(import.meta.dirname, '../..');
const BIN = join(ROOT, 'dist/core/cli/main.js');
const EXAMPLE = join(ROOT, 'fixtures/example-backend');
let dir: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'cyntra-cli-plugins-'));
  writeFileSync(join(dir, 'hang.mjs'), 'await new Promise(() => {});\nexport default {};\n');
  writeFileSync(join(dir, 'issues.jsonl'), '{"id":"A","title":"x"}\n');
  writeFileSync(
    join(dir, 'input.json'),
    JSON.stringify(buildPlannerInput({ issue: { id: 'P-1', dk_risk: 'high' }, now: 0 })),
  );
  const runner = `  runner: { command: ["${process.execPath}", "-e", "0"], time_scale: 0.001 }\n  issues: issues.jsonl\n  workcells: wc\n`;
  writeFileSync(
    join(dir, 'hang.yaml'),
    `planner:\n  plugins: ["./hang.mjs"]\n  inference: { load_timeout_ms: 300 }\nkernel:\n${runner}`,
  );
  writeFileSync(join(dir, 'typo.yaml'), `planner:\n  model: { type: onxx }\nkernel:\n${runner}`);
  writeFileSync(
    join(dir, 'linear.yaml'),
    `planner:\n  plugins: ["${EXAMPLE}/index.js"]\n  model: { path: "${EXAMPLE}/bundle", type: linear }\n  inference: { confidence_threshold: 0 }\nkernel:\n${runner}`,
  );
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function binary(args: string[]) {
  return spawnSync(process.execPath, [BIN, ...args], {
    cwd: dir,
    encoding: 'utf8',
    env: { ...process.env, CYNTRA_PLANNER_LOG_LEVEL: 'silent' },
    timeout: 60_000,
  });
}

const run = (argv: string[]) => runCli(argv, dir);

describe('a plugin whose import never settles', () => {
  it.each([
    ['run', ['run', '--config', 'hang.yaml']],
    ['backends', ['backends', '--config', 'hang.yaml']],
    ['lint', ['lint', '--config', 'hang.yaml', EXAMPLE + '/bundle']],
  ])('%s exits 2 with PLUGIN_LOAD_TIMEOUT and does no work', (_name, args) => {
    const r = binary(args);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('PLUGIN_LOAD_TIMEOUT');
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stdout).toBe('');
  });
});

describe('plugins for predict, encode and logits', () => {
  it('--plugin makes a third-party backend usable with --type; --config brings plugins, model and threshold', async () => {
    const input = join(dir, 'input.json');
    const flags = await run([
      'predict',
      '--plugin',
      `${EXAMPLE}/index.js`,
      '--bundle',
      `${EXAMPLE}/bundle`,
      '--type',
      'linear',
      '--threshold',
      '0',
      '--input',
      input,
    ]);
    expect(flags.code).toBe(0);
    expect(JSON.parse(flags.stdout)).toMatchObject({
      abstain_to_default: false,
      model: { checkpoint_id: 'linear_example' },
    });
    const viaConfig = await run(['predict', '--config', 'linear.yaml', '--input', input]);
    expect(viaConfig.code).toBe(0);
    expect(JSON.parse(viaConfig.stdout)).toEqual({ ...JSON.parse(flags.stdout), created_at: expect.any(String) });
    const encoded = await run(['encode', '--config', 'linear.yaml', '--input', input]);
    expect(JSON.parse(encoded.stdout)).toMatchObject({ kind: 'features' });
    const logits = await run(['logits', '--config', 'linear.yaml', '--input', input]);
    expect(Object.keys(JSON.parse(logits.stdout))).toEqual(['swarm', 'candidates', 'minutes', 'iterations']);
  });

  it('without the plugin, --type linear is bad usage (exit 2), as before', async () => {
    const r = await run([
      'predict',
      '--bundle',
      `${EXAMPLE}/bundle`,
      '--type',
      'linear',
      '--input',
      join(dir, 'input.json'),
    ]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('USAGE');
  });

  it('a --plugin that is not a plugin exits 2 with PLUGIN_INVALID naming the fields', async () => {
    writeFileSync(join(dir, 'half.mjs'), 'export default { name: "half", priority: 1 };\n');
    const r = await run(['backends', '--plugin', './half.mjs']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/PLUGIN_INVALID: .*apiVersion.*description.*needsBundle.*init.*createSession/);
  });
});

describe('model.type naming no backend', () => {
  it('run exits 2 with the config position; predict --config too', async () => {
    const r = await run(['run', '--config', 'typo.yaml', '--log-level', 'silent']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/typo\.yaml:2:\d+: planner\.model\.type: no backend named "onxx"/);
    const p = await run(['predict', '--config', 'typo.yaml', '--input', join(dir, 'input.json')]);
    expect(p.code).toBe(2);
    expect(p.stderr).toContain('CONFIG_INVALID');
  });
});
