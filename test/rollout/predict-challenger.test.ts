/** `predict --challenger DIR`: a one-off comparison with the champion; a missing directory is exit 2, coded. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildPlannerInput } from '../../core/planner-input.js';
import { runCli } from '../support/cli-run.js';

const ROOT = resolve(__dirname, '../..');
const BUNDLE = join(ROOT, 'fixtures/bundles/onnx-spec-small');
const dir = mkdtempSync(join(tmpdir(), 'cyntra-predict-challenger-'));
const inputFile = join(dir, 'input.json');
writeFileSync(inputFile, JSON.stringify(buildPlannerInput({ issue: { id: 'PC-1', dk_risk: 'high' }, now: 0 })));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const run = (argv: string[]) => runCli(argv, ROOT);

describe('predict --challenger', () => {
  it('prints the champion record and each challenger with its digest and per-head agreement', async () => {
    const r = await run([
      'predict',
      '--input',
      inputFile,
      '--bundle',
      BUNDLE,
      '--threshold',
      '0',
      '--challenger',
      BUNDLE,
    ]);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.champion.schema_version).toBe('cyntra.planner_action.v1');
    expect(out.challengers).toHaveLength(1);
    const c = out.challengers[0];
    expect(c).toMatchObject({
      bundle: BUNDLE,
      backend: 'onnx',
      digest: expect.stringMatching(/^sha256:[0-9a-f]{64}$/),
    });
    expect(c.record.swarm_id).toBe(out.champion.swarm_id);
    expect(c.agreement).toEqual({ exact: true, swarm: true, candidates: true, minutes: true, iterations: true });
    expect(c.decoded.action.swarm_id).toBe(out.champion.swarm_id);
  });

  it('a challenger directory that does not exist is CHALLENGER_NOT_FOUND naming it, exit 2', async () => {
    const missing = join(dir, 'nope');
    const r = await run(['predict', '--input', inputFile, '--challenger', missing]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(new RegExp(`CHALLENGER_NOT_FOUND: .*${missing}`));
    expect(r.stdout).toBe('');
  });
});
