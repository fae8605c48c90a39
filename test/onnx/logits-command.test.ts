import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { HEAD_NAMES } from '../../core/action.js';
import { BackendRegistry } from '../../core/backend/registry.js';
import { logitsCommand } from '../../core/cli/commands/logits.js';
import { cliDeps } from '../support/cli-deps.js';
import type { CliIO } from '../../core/cli/command.js';
import { exitCodeFor } from '../../core/cli/exit-code.js';
import { PlannerError } from '../../core/errors.js';
import { silentLogger } from '../../core/logger.js';
import { heuristicPlugin } from '../../plugins/heuristic/heuristic-plugin.js';
import { onnxPlugin } from '../../plugins/onnx/onnx-plugin.js';
import { makeMlpWeights, DEFAULT_HEAD_SIZES } from '../../fixtures/tools/onnx-fixture-models.js';
import { SPEC_SMALL } from '../../fixtures/tools/make-onnx-fixtures.js';
import { BUNDLES, REPO, maxAbsDiff, mlpForward, randomRows } from './onnx-test-helpers.js';
import { makeTempDir } from '../support/temp-dir.js';

const command = logitsCommand;
const deps = cliDeps(new BackendRegistry().register(heuristicPlugin).register(onnxPlugin));
const tmp = makeTempDir('logits-cmd-');

async function run(argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const io: CliIO = {
    stdout: (t) => (stdout += t),
    stderr: (t) => (stderr += t),
    cwd: REPO,
    env: {},
    isTTY: false,
    logger: silentLogger,
  };
  try {
    return { code: await command.run(argv, io, deps), stdout, stderr };
  } catch (error) {
    expect(error).toBeInstanceOf(PlannerError);
    return { code: exitCodeFor(error), stdout, stderr: (error as PlannerError).message };
  }
}

describe('cyntra-planner logits', () => {
  it('prints the raw logits of a feature vector', async () => {
    const [row] = randomRows(1, 3779, 77);
    const file = join(tmp, 'f.json');
    writeFileSync(file, JSON.stringify(Array.from(row)));
    const out = await run(['--bundle', join(BUNDLES, 'onnx-spec-small'), '--features', file]);
    expect(out.code).toBe(0);
    const logits = JSON.parse(out.stdout) as Record<string, number[]>;
    expect(Object.keys(logits)).toEqual([...HEAD_NAMES]);
    const ref = mlpForward(
      makeMlpWeights(
        { dIn: 3779, dHidden: SPEC_SMALL.dHidden, nLayers: SPEC_SMALL.nLayers, headSizes: DEFAULT_HEAD_SIZES },
        SPEC_SMALL.seed,
      ),
      row,
    );
    for (const head of HEAD_NAMES) expect(maxAbsDiff(logits[head], ref[head])).toBeLessThan(1e-4);
  });

  it('encodes a planner input for a Python-planner bundle', async () => {
    const out = await run([
      '--bundle',
      join(BUNDLES, 'onnx-python-small'),
      '--input',
      join(REPO, 'fixtures', 'encoders', 'inputs', 'worked-b.json'),
    ]);
    expect(out.code).toBe(0);
    const logits = JSON.parse(out.stdout) as Record<string, number[]>;
    expect(HEAD_NAMES.map((h) => logits[h].length)).toEqual([2, 4, 6, 5]);
  });

  it('exits 2 naming the file on a bad features file', async () => {
    const wrongLength = join(tmp, 'short.json');
    writeFileSync(wrongLength, '[1, 2, 3]');
    const notJson = join(tmp, 'bad.json');
    writeFileSync(notJson, '[1, 2,');
    for (const file of [wrongLength, notJson, join(tmp, 'missing.json')]) {
      const out = await run(['--bundle', join(BUNDLES, 'onnx-spec-small'), '--features', file]);
      expect(out.code).toBe(2);
      expect(out.stderr).toContain(file);
    }
    expect((await run(['--bundle', join(BUNDLES, 'onnx-spec-small')])).code).toBe(2);
  });

  it('exits 1 when the bundle model cannot be loaded', async () => {
    const file = join(tmp, 'f2.json');
    writeFileSync(file, JSON.stringify(new Array(24).fill(0)));
    // torch-ref has d_in 24, which the features.v1 encoder (3779) refuses: the model cannot serve the planner.
    const out = await run(['--bundle', join(BUNDLES, 'torch-ref'), '--features', file]);
    expect(out.code).toBe(1);
  });
});
