import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { HEAD_NAMES } from '../../core/action.js';
import { loadBundle } from '../../core/bundle/load-bundle.js';
import { convertCommand } from '../../core/cli/commands/convert.js';
import { silentLogger } from '../../core/logger.js';
import { convertBundle } from '../../plugins/tfjs/convert.js';
import { tfjsPlugin } from '../../plugins/tfjs/tfjs-plugin.js';
import { expectedInputs, fixture, maxAbsDiff, readExpected, tempDir } from './tfjs-fixtures.js';
import { cliDeps } from '../support/cli-deps.js';
import { captureIO } from '../support/cli-run.js';

const from = (name: string): string => join(fixture(name), 'model.pt');

const cliIO = captureIO;

describe('convertBundle', () => {
  it('torch → tfjs: a complete bundle with checksums, served with torch parity', async () => {
    const out = join(tempDir(), 'tfjs-bundle');
    const result = await convertBundle({ from: from('torch-float64'), to: 'tfjs', out });
    expect(readdirSync(out).sort()).toEqual([
      'action_space.json',
      'calibration.json',
      'config.json',
      'group1-shard1of1.bin',
      'metadata.json',
      'model.json',
    ]);
    const meta = JSON.parse(readFileSync(join(out, 'metadata.json'), 'utf8'));
    for (const [name, sum] of Object.entries(result.files)) {
      const bytes = readFileSync(join(out, name));
      expect(meta.files[name]).toEqual({
        sha256: createHash('sha256').update(bytes).digest('hex'),
        size: bytes.length,
      });
      expect(sum).toEqual(meta.files[name]); // what convertBundle returns is what it wrote
    }
    expect(JSON.parse(readFileSync(join(out, 'config.json'), 'utf8')).model_type).toBe('tfjs');
    expect(readFileSync(join(out, 'action_space.json'))).toEqual(
      readFileSync(join(fixture('torch-float64'), 'action_space.json')),
    );
    const bundle = await loadBundle(out); // also verifies metadata checksums
    await tfjsPlugin.init({ logger: silentLogger });
    const session = await tfjsPlugin.createSession(bundle, { logger: silentLogger, options: {} });
    const e = readExpected('torch-float64');
    const logits = await session.infer({
      inputs: [],
      encoded: { kind: 'features', size: 3, dIn: 64, data: expectedInputs(e) },
    });
    expect(session.info.weights).toBe('model.json');
    expect(maxAbsDiff(logits, e)).toBeLessThan(1e-5);
    await session.dispose();
  });

  it('torch → onnx: onnxruntime gives torch logits within 1e-5', async () => {
    const out = join(tempDir(), 'onnx-bundle');
    await convertBundle({ from: from('torch-strided'), to: 'onnx', out });
    await loadBundle(out);
    const ort = await import('onnxruntime-node');
    const session = await ort.InferenceSession.create(readFileSync(join(out, 'model.onnx')));
    const e = readExpected('torch-strided');
    const result = await session.run({ input: new ort.Tensor('float32', expectedInputs(e), [3, 64]) });
    const logits = [0, 1, 2].map((i) =>
      Object.fromEntries(
        HEAD_NAMES.map((h) => {
          const t = result[h];
          const width = t.dims[1] as number;
          return [h, (t.data as Float32Array).slice(i * width, (i + 1) * width)];
        }),
      ),
    );
    expect(maxAbsDiff(logits as never, e)).toBeLessThan(1e-5);
    await session.release();
  });

  it('refuses a non-empty OUTDIR unless forced, and leaves no temp dir behind', async () => {
    const parent = tempDir();
    const out = join(parent, 'busy');
    mkdirSync(out);
    writeFileSync(join(out, 'keep.txt'), 'x');
    await expect(convertBundle({ from: from('torch-small'), to: 'tfjs', out })).rejects.toMatchObject({
      code: 'USAGE',
    });
    expect(readdirSync(out)).toEqual(['keep.txt']);
    await convertBundle({ from: from('torch-small'), to: 'tfjs', out, force: true });
    expect(existsSync(join(out, 'keep.txt'))).toBe(false);
    expect(readdirSync(parent)).toEqual(['busy']);
  });

  it('writes nothing when the checkpoint is refused', async () => {
    const parent = tempDir();
    await expect(
      convertBundle({ from: from('torch-evil-global'), to: 'onnx', out: join(parent, 'x') }),
    ).rejects.toMatchObject({ code: 'PICKLE_GLOBAL_FORBIDDEN' });
    expect(readdirSync(parent)).toEqual([]);
  });
});

describe('cyntra-planner convert', () => {
  it('converts and exits 0', async () => {
    const dir = tempDir();
    const { io, out } = cliIO(dir);
    expect(
      await convertCommand.run(['--from', from('torch-small'), '--to', 'tfjs', '--out', join(dir, 'b')], io, cliDeps()),
    ).toBe(0);
    expect(out.join('')).toMatch(/wrote/);
    expect(existsSync(join(dir, 'b', 'model.json'))).toBe(true);
  });

  it('exits 2 with one line on bad usage and refused files', async () => {
    const dir = tempDir();
    const cases = [
      ['--from', from('torch-small'), '--to', 'keras', '--out', join(dir, 'a')],
      ['--to', 'tfjs', '--out', join(dir, 'a')],
      ['--from', from('torch-legacy'), '--to', 'tfjs', '--out', join(dir, 'a')],
      ['--from', join(fixture('torch-small'), 'absent.pt'), '--to', 'tfjs', '--out', join(dir, 'a')],
      ['--bogus'],
    ];
    for (const argv of cases) {
      const { io, err } = cliIO(dir);
      expect(await convertCommand.run(argv, io, cliDeps())).toBe(2);
      expect(err.join('').trim().split('\n')).toHaveLength(1);
    }
    expect(readdirSync(dir)).toEqual([]);
  });
});
