import { cpSync, existsSync, readFileSync, readdirSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join, resolve } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { readLabelAction } from '../../core/eval/action-data.js';
import { EvalSchemaIds } from '../../core/eval/eval-types.js';
import { predictionMetrics } from '../../core/eval/prediction-metrics.js';
import { resolveInferenceConfig } from '../../core/inference-config.js';
import { lintBundle } from '../../core/lint/lint-bundles.js';
import { PlannerInference } from '../../core/planner-inference.js';
import type { PlannerInputV1 } from '../../core/planner-input-types.js';
import { SchemaRegistry } from '../../core/schemas.js';
import { createDefaultRegistry } from '../../plugins/index.js';
import { makeRow, tempDir, type RawAction, type TempDir } from './dataset-fixture.js';
import { runCli } from '../support/cli-run.js';

const ROOT = resolve(__dirname, '../..');
const SPEC = join(ROOT, 'fixtures/bundles/onnx-spec-small');
const PYTHON = join(ROOT, 'fixtures/bundles/onnx-python-small');

const run = (argv: string[]) => runCli(argv, ROOT);

function rows(n: number, bench: boolean): Record<string, unknown>[] {
  return Array.from({ length: n }, (_, i) => {
    const risky = i % 3 === 0;
    const label: RawAction = risky ? ['speculate_vote', 3, 45, 'NA'] : ['serial_handoff', 1, i % 2 ? 30 : 45, 'NA'];
    const candidates = [
      { action: ['serial_handoff', 1, 'NA', 'NA'], verified: !risky, duration_ms: 1000 + i },
      { action: ['speculate_vote', 2, 30, 'NA'], verified: i % 2 === 0, duration_ms: 900, cost_usd: 0.1 },
      { action: ['mystery_swarm', 1, 30, 'NA'], verified: true, duration_ms: 50 },
    ];
    return makeRow({
      n: i,
      risk: risky ? 'high' : 'low',
      size: i % 4 === 0 ? 'L' : 'M',
      label,
      bench: bench ? candidates : undefined,
    });
  });
}

let tmp: TempDir | null = null;
afterEach(() => {
  tmp?.remove();
  tmp = null;
});

describe('cyntra-planner eval', () => {
  let schemas: SchemaRegistry;
  beforeAll(() => {
    schemas = new SchemaRegistry();
  });

  it('reports baselines and bundles, lists bad lines and a bundle that will not load, and goes on (exit 1)', async () => {
    tmp = tempDir();
    const file = tmp.write('d.jsonl', [...rows(20, true), 'oops, not JSON', { issue_id: 'x' }]);
    const r = await run([
      'eval',
      '--dataset',
      file,
      '--bundle',
      SPEC,
      '--bundle',
      join(tmp.dir, 'missing-bundle'),
      '--format',
      'json',
      '--bootstrap',
      '50',
    ]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`${file}:21: not JSON`);
    expect(r.stderr).toContain(`${file}:22: the row has no planner_input`);
    expect(r.stderr).toContain('missing-bundle');
    const out = JSON.parse(r.stdout);
    expect(schemas.validate(EvalSchemaIds.evalOutput, out).errors).toEqual([]);
    const report = out.eval_report;
    expect(report.rows).toMatchObject({ in_split: 20, labelled: 20, benched: 20, skipped_count: 2 });
    expect(report.split_counts).toEqual({ train: 16, val: 2, test: 3 }); // 21 JSON objects: int(16.8), int(2.1), rest
    expect(report.bundles[0]).toMatchObject({ status: 'ok', backend: 'onnx', checkpoint_id: 'onnx-spec-small' });
    expect(report.bundles[1]).toMatchObject({ status: 'failed', error: { code: 'BUNDLE_NOT_FOUND' } });
    expect(report.bundles[0].threshold_sweep).toHaveLength(21);
    expect(out.outcome_eval.examples).toBe(20);
    expect(out.outcome_eval).not.toHaveProperty('model'); // two bundles asked for: no Python single-model keys
    expect(out.outcome_eval.bundles[0].model.examples).toBe(20);
  });

  it("a bundle's metrics are those of the planner's own decode, and the table prints", async () => {
    tmp = tempDir();
    const data = rows(12, false);
    const file = tmp.write('d.jsonl', data);
    const r = await run(['eval', '--dataset', file, '--bundle', SPEC, '--format', 'json', '--bootstrap', '0']);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.outcome_eval).toBeNull();
    const planner = await PlannerInference.create(
      resolveInferenceConfig({ modelPath: SPEC, modelType: 'onnx', confidenceThreshold: 0, timeoutMs: 60_000 }),
      { registry: createDefaultRegistry() },
    );
    try {
      const pairs = [];
      for (const row of data) {
        const outcome = await planner.predict(row.planner_input as PlannerInputV1);
        pairs.push({ predicted: outcome.trace.modelAction!, gold: readLabelAction(row.label_action)! });
      }
      expect(out.eval_report.bundles[0].metrics).toEqual(predictionMetrics(pairs));
    } finally {
      await planner.dispose();
    }
    const table = await run(['eval', '--dataset', file, '--bundle', SPEC, '--split', 'train']);
    expect(table.code).toBe(0);
    expect(table.stdout).toContain('split train: 9 rows');
    expect(table.stdout).toContain('bundle onnx-spec-small');
    expect(table.stdout).toContain('Outcome: no row of this split carries bench candidates.');
    expect(table.stdout).toMatch(/ECE \d\.\d{3}/);
  });

  it('an empty split: zero counts, rates 0 in metrics and null elsewhere, no outcome report; still schema-valid', async () => {
    tmp = tempDir();
    const file = tmp.write('d.jsonl', rows(5, true)); // int(5*0.1) = 0 val rows
    const r = await run(['eval', '--dataset', file, '--bundle', SPEC, '--split', 'val', '--format', 'json']);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(schemas.validate(EvalSchemaIds.evalOutput, out).errors).toEqual([]);
    expect(out.outcome_eval).toBeNull();
    expect(out.eval_report.baselines.heuristic).toMatchObject({ count: 0, exact_match: 0, swarm_entropy: 0 });
    const b = out.eval_report.bundles[0];
    expect(b.metrics.count).toBe(0);
    expect(b.recommended_threshold).toBeNull();
    expect(b.reliability.ece).toBeNull();
    expect(b.threshold_sweep[0]).toMatchObject({ coverage: null, model_exact_match: null, gated_pass_rate: null });
    expect(b.bootstrap_exact_match_diff).toMatchObject({ estimate: null, low: null, high: null, resamples: 0 });
  });

  it('bad usage and an unreadable dataset exit 2', async () => {
    expect((await run(['eval'])).code).toBe(2);
    expect((await run(['eval', '--dataset', 'x.jsonl', '--split', 'dev'])).code).toBe(2);
    expect((await run(['eval', '--dataset', 'x.jsonl', '--target-coverage', '0'])).code).toBe(2);
    expect((await run(['eval', '--dataset', 'x.jsonl', '--bootstrap', '1.5'])).code).toBe(2);
    const missing = await run(['eval', '--dataset', '/nonexistent/d.jsonl']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('/nonexistent/d.jsonl');
    expect((await run(['eval', '--help'])).stdout).toContain('--target-coverage');
  });
});

describe('cyntra-planner calibrate', () => {
  it('--out writes a calibrated copy in the spec key style that lint accepts, with the metadata checksum updated', async () => {
    tmp = tempDir();
    const file = tmp.write('d.jsonl', rows(40, false)); // val: 4 rows, test: 4 rows
    const out = join(tmp.dir, 'calibrated');
    const before = readFileSync(join(SPEC, 'calibration.json'), 'utf8');
    const r = await run(['calibrate', '--dataset', file, '--bundle', SPEC, '--out', out]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/NLL before/);
    expect(r.stdout).toContain('bundle digest is now sha256:');
    expect(readFileSync(join(SPEC, 'calibration.json'), 'utf8')).toBe(before);
    const text = readFileSync(join(out, 'calibration.json'), 'utf8');
    const cal = JSON.parse(text);
    expect(cal.method).toBe('temperature_scaling');
    expect(Object.keys(cal.temperature)).toEqual(['swarm', 'candidates', 'minutes', 'iterations']);
    expect(cal).not.toHaveProperty('temperatures');
    const meta = JSON.parse(readFileSync(join(out, 'metadata.json'), 'utf8'));
    expect(meta.files['calibration.json'].sha256).toBe(createHash('sha256').update(text).digest('hex'));
    const lint = await lintBundle(out, { registry: createDefaultRegistry() });
    expect(lint.problems.filter((p) => p.severity === 'error')).toEqual([]);
    expect(readdirSync(tmp.dir).filter((f) => f.includes('.partial-'))).toEqual([]);
    const again = await run(['calibrate', '--dataset', file, '--bundle', SPEC, '--out', out]);
    expect(again.code).toBe(2);
  });

  it('--in-place keeps the Python key style and backs up the replaced file', async () => {
    tmp = tempDir();
    const bundle = join(tmp.dir, 'py-bundle');
    cpSync(PYTHON, bundle, { recursive: true });
    const old = readFileSync(join(bundle, 'calibration.json'), 'utf8');
    const file = tmp.write('d.jsonl', rows(40, false));
    const r = await run(['calibrate', '--dataset', file, '--bundle', bundle, '--in-place']);
    expect(r.code).toBe(0);
    const cal = JSON.parse(readFileSync(join(bundle, 'calibration.json'), 'utf8'));
    expect(cal.schema_version).toBe('cyntra.planner_calibration.v1');
    expect(Object.keys(cal.temperatures).sort()).toEqual([
      'max_candidates_bin',
      'max_iterations_bin',
      'max_minutes_bin',
      'swarm_id',
    ]);
    const backup = readdirSync(tmp.dir).find((f) => f.startsWith('py-bundle.calibrate-backup-'));
    expect(backup).toBeDefined();
    expect(readFileSync(join(tmp.dir, backup!, 'calibration.json'), 'utf8')).toBe(old);
    const lint = await lintBundle(bundle, { registry: createDefaultRegistry() });
    expect(lint.problems.filter((p) => p.severity === 'error')).toEqual([]);
    // a second run right after keeps the first backup (the original file) and makes another
    const fitted = readFileSync(join(bundle, 'calibration.json'), 'utf8');
    expect((await run(['calibrate', '--dataset', file, '--bundle', bundle, '--in-place'])).code).toBe(0);
    const backups = readdirSync(tmp.dir)
      .filter((f) => f.startsWith('py-bundle.calibrate-backup-'))
      .sort();
    expect(backups).toHaveLength(2);
    const contents = backups.map((b) => readFileSync(join(tmp!.dir, b, 'calibration.json'), 'utf8'));
    expect(contents).toContain(old);
    expect(contents).toContain(fitted);
  });

  it('no labelled val row exits 2; a bundle that will not load exits 1 naming it; bad usage exits 2', async () => {
    tmp = tempDir();
    const tiny = tmp.write('tiny.jsonl', rows(5, false)); // int(5*0.1) = 0 val rows
    const empty = await run(['calibrate', '--dataset', tiny, '--bundle', SPEC, '--out', join(tmp.dir, 'o')]);
    expect(empty.code).toBe(2);
    expect(empty.stderr).toContain('val split has no labelled row');
    const file = tmp.write('d.jsonl', rows(40, false));
    const broken = await run([
      'calibrate',
      '--dataset',
      file,
      '--bundle',
      join(ROOT, 'fixtures/bundles/invalid/BUNDLE_FILE_MISSING.no-action-space'),
      '--out',
      join(tmp.dir, 'o'),
    ]);
    expect(broken.code).toBe(1);
    expect(broken.stderr).toContain('BUNDLE_FILE_MISSING.no-action-space');
    expect(existsSync(join(tmp.dir, 'o'))).toBe(false);
    expect((await run(['calibrate', '--dataset', file, '--bundle', SPEC])).code).toBe(2);
    expect((await run(['calibrate', '--dataset', file, '--bundle', SPEC, '--in-place', '--out', 'x'])).code).toBe(2);
  });
});
