import { execFileSync, spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildPlannerInput } from '../../core/planner-input.js';
import { SchemaIds, SchemaRegistry } from '../../core/schemas.js';
import { makeTempDir } from '../support/temp-dir.js';
import { runCli } from '../support/cli-run.js';

const ROOT = resolve(__dirname, '../..');
const BIN = join(ROOT, 'dist/core/cli/main.js');
const dir = makeTempDir('cyntra-cli-');
const inputFile = join(dir, 'input.json');
writeFileSync(inputFile, JSON.stringify(buildPlannerInput({ issue: { id: 'CLI-1', dk_risk: 'high' }, now: 0 })));

const run = (argv: string[]) => runCli(argv, ROOT);

describe('cyntra-planner CLI', () => {
  beforeAll(() => {
    // The real binary must exist: `npm test` builds first (pretest).
    execFileSync(process.execPath, [BIN, '--help']);
  });

  it('predict without --bundle: the heuristic answers with a schema-valid record, exit 0', async () => {
    const r = await run(['predict', '--input', inputFile]);
    expect(r.code).toBe(0);
    const record = JSON.parse(r.stdout);
    expect(new SchemaRegistry().validate(SchemaIds.plannerAction, record).errors).toEqual([]);
    expect(record).toMatchObject({ swarm_id: 'speculate_vote', budgets: { max_candidates_bin: 3 } });
  });

  it('predict --explain prints a trace on stderr and keeps stdout a single record', async () => {
    const r = await run(['predict', '--input', inputFile, '--explain']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).schema_version).toBe('cyntra.planner_action.v1');
    const trace = JSON.parse(r.stderr).trace;
    expect(trace).toMatchObject({ backend: 'heuristic' });
    expect(trace.timings).toHaveProperty('totalMs');
  });

  it('exit 2 for bad usage and bad input files, naming the file', async () => {
    expect((await run(['predict'])).code).toBe(2);
    expect((await run(['predict', '--input', inputFile, '--threshold', '7'])).code).toBe(2);
    expect((await run(['predict', '--bogus'])).code).toBe(2);
    expect((await run(['nonsense'])).code).toBe(2);
    const missing = await run(['predict', '--input', join(dir, 'nope.json')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('nope.json');
    const broken = join(dir, 'broken.json');
    writeFileSync(broken, '{\n  "schema_version": oops\n}');
    const b = await run(['predict', '--input', broken]);
    expect(b.code).toBe(2);
    expect(b.stderr).toMatch(/broken\.json:2:\d+/);
    const invalid = join(dir, 'invalid.json');
    writeFileSync(invalid, JSON.stringify({ schema_version: 'cyntra.planner_input.v1' }));
    const i = await run(['predict', '--input', invalid]);
    expect(i.code).toBe(2);
    expect(i.stderr).toContain('INPUT_INVALID');
  });

  it('exit 1 for a failed operation: --strict with a bundle that cannot load', async () => {
    const r = await run(['predict', '--input', inputFile, '--bundle', join(dir, 'no-bundle'), '--strict']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('BUNDLE_NOT_FOUND');
    const lenient = await run(['predict', '--input', inputFile, '--bundle', join(dir, 'no-bundle')]);
    expect(lenient.code).toBe(0);
    expect(JSON.parse(lenient.stdout).reason).toBe('model_unavailable');
  });

  it('names the failure that matters when a bundle cannot load, with exit 1; an unknown --type is bad usage', async () => {
    const evil = join(ROOT, 'fixtures/bundles/torch-evil-global');
    for (const command of ['logits', 'encode']) {
      const r = await run([command, '--bundle', evil, '--input', inputFile]);
      expect(r.code, command).toBe(1);
      expect(r.stderr, command).toContain('PICKLE_GLOBAL_FORBIDDEN');
      expect(r.stderr, command).not.toContain('does not fit backend "onnx"');
    }
    for (const command of ['predict', 'logits', 'encode']) {
      const r = await run([command, '--bundle', evil, '--input', inputFile, '--type', 'bogus']);
      expect(r.code, command).toBe(2);
      expect(r.stderr, command).toContain('no backend named "bogus"');
    }
  });

  it('auto mode does not warn about backends a valid bundle is not meant for', async () => {
    const r = await run([
      'predict',
      '--input',
      inputFile,
      '--bundle',
      join(ROOT, 'fixtures/bundles/torch-features'),
      '--threshold',
      '0',
    ]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).model.checkpoint_id).not.toBe('baseline_heuristic_v0');
    expect(r.stderr).toBe('');
  });

  it('backends lists every built-in with availability', async () => {
    const r = await run(['backends', '--json']);
    expect(r.code).toBe(0);
    const rows = JSON.parse(r.stdout);
    expect(rows.find((x: { name: string }) => x.name === 'heuristic')).toMatchObject({ available: true });
  });

  it('the built binary runs and returns real exit codes', () => {
    const ok = spawnSync(process.execPath, [BIN, 'predict', '--input', inputFile], { encoding: 'utf8' });
    expect(ok.status).toBe(0);
    expect(JSON.parse(ok.stdout).schema_version).toBe('cyntra.planner_action.v1');
    const bad = spawnSync(process.execPath, [BIN, 'predict'], { encoding: 'utf8' });
    expect(bad.status).toBe(2);
    expect(bad.stderr.trim().split('\n')).toHaveLength(1);
  });
});
