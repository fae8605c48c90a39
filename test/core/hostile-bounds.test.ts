/** Issue 13 items 9 and 10: bounded lists and linear checks; every duration bounded by what a Node timer honours. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseBins } from '../../core/action-space.js';
import { readPlannerInput } from '../../core/cli/commands/predict.js';
import { resolveInferenceConfig } from '../../core/inference-config.js';
import { parseKernelConfig } from '../../core/kernel/load-config.js';
import { lintBundle } from '../../core/lint/lint-bundles.js';
import { buildPlannerInput } from '../../core/planner-input.js';
import { MAX_TIMER_MS } from '../../core/time.js';
import { withTimeout } from '../../core/with-timeout.js';
import { Prng } from '../support/fuzz-prng.js';
import { ACTION_SPACE, coreFiles, json, writeBundle, type Files } from '../lint/bundle-dir.js';

const made: string[] = [];
const bundle = (files: Files): string => {
  const dir = writeBundle(files);
  made.push(dir);
  return dir;
};
afterAll(() => {
  for (const d of made) rmSync(d, { recursive: true, force: true });
});

const codesIn = (problems: ReadonlyArray<{ code: string; file: string }>, file: string) =>
  problems.filter((p) => p.file === file).map((p) => p.code);

describe('bounded lists, linear checks (item 9)', () => {
  it('an action space with more than 1000 bins or swarm ids is a schema error, in any head', async () => {
    const rand = new Prng(9);
    for (const key of ['max_minutes_bins', 'max_candidates_bins', 'swarm_ids']) {
      const n = 1001 + rand.int(4000);
      const list =
        key === 'swarm_ids' ? Array.from({ length: n }, (_, i) => `s${i}`) : Array.from({ length: n }, (_, i) => i + 1);
      const r = await lintBundle(
        bundle({ ...coreFiles(), 'action_space.json': json({ ...ACTION_SPACE, [key]: list }) }),
      );
      expect([key, codesIn(r.problems, 'action_space.json')]).toEqual([key, expect.arrayContaining(['BUNDLE_SCHEMA'])]);
    }
  });

  it('duplicate bins are still found (by the linear check), with their positions', async () => {
    const bins = [...Array.from({ length: 900 }, (_, i) => i + 1), 7, 'NA', 'NA'];
    const r = await lintBundle(
      bundle({ ...coreFiles(), 'action_space.json': json({ ...ACTION_SPACE, max_minutes_bins: bins }) }),
    );
    const dup = r.problems.filter((p) => p.code === 'ACTION_SPACE_INVALID');
    expect(dup.map((p) => p.pointer)).toEqual(['/max_minutes_bins/900', '/max_minutes_bins/902']);
    expect(dup[0].line).toBeGreaterThan(900);
  });

  it('metadata.json listing more than 10000 files is a schema error', async () => {
    const entries = Object.fromEntries(
      Array.from({ length: 10_001 }, (_, i) => [`shards/s${i}.bin`, { sha256: 'b'.repeat(64), size: 1 }]),
    );
    const r = await lintBundle(
      bundle({ ...coreFiles(), 'metadata.json': json({ schema_version: 'cyntra.model_bundle.v1', files: entries }) }),
    );
    expect(codesIn(r.problems, 'metadata.json')).toContain('BUNDLE_SCHEMA');
  });

  it('many problems in one file get their own line numbers (positions are indexed once)', async () => {
    const entries = Object.fromEntries(
      Array.from({ length: 3000 }, (_, i) => [`missing-${i}.bin`, { sha256: 'a'.repeat(64) }]),
    );
    const r = await lintBundle(
      bundle({ ...coreFiles(), 'metadata.json': json({ schema_version: 'cyntra.model_bundle.v1', files: entries }) }),
    );
    const missing = r.problems.filter((p) => p.code === 'BUNDLE_FILE_MISSING');
    expect(missing.length).toBe(3000);
    // json() indents by 2: "files" opens on line 3, entry i starts on line 4 + 3i
    missing.forEach((p, i) => expect([p.pointer, p.line]).toEqual([`/files/missing-${i}.bin`, 4 + 3 * i]));
  });

  it('parseBins keeps first occurrences in order, like before, on long random lists', () => {
    const rand = new Prng(99);
    const list = Array.from({ length: 5000 }, () => (rand.chance(0.1) ? 'NA' : 1 + rand.int(300)));
    const want: unknown[] = [];
    for (const v of list) if (!want.includes(v)) want.push(v);
    expect(parseBins(list, [])).toEqual(want);
  });

  it('a planner input whose action space lists more than 1000 bins is INPUT_INVALID', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cyntra-bins-'));
    made.push(dir);
    const input = buildPlannerInput({ issue: { id: 'b' }, now: 0 });
    const file = join(dir, 'in.json');
    writeFileSync(
      file,
      JSON.stringify({
        ...input,
        action_space: { ...input.action_space, max_minutes_bins: Array.from({ length: 1500 }, (_, i) => i + 1) },
      }),
    );
    expect(() => readPlannerInput(file)).toThrow(expect.objectContaining({ code: 'INPUT_INVALID' }));
  });
});

describe('durations are bounded by what a Node timer honours (item 10)', () => {
  const configError = (yaml: string) => {
    try {
      parseKernelConfig(yaml, '/cfg/config.yaml', '/cfg');
    } catch (e) {
      return e as { code: string; context: Record<string, unknown> };
    }
    return null;
  };

  it('timeout_ms, load_timeout_ms and kill_grace_ms above 2^31-1 are config errors naming the key', () => {
    const rand = new Prng(10);
    const cases: Array<[string, string]> = [
      ['planner.inference.timeout_ms', 'planner:\n  inference:\n    timeout_ms: V\n'],
      ['planner.inference.load_timeout_ms', 'planner:\n  inference:\n    load_timeout_ms: V\n'],
      ['kernel.runner.kill_grace_ms', 'kernel:\n  runner:\n    kill_grace_ms: V\n'],
    ];
    for (const [key, yaml] of cases) {
      for (const v of [MAX_TIMER_MS + 1, MAX_TIMER_MS + 1 + rand.int(1e9), 1e15]) {
        const e = configError(yaml.replace('V', String(v)));
        expect([key, v, e?.code, e?.context.keyPath]).toEqual([key, v, 'CONFIG_INVALID', key]);
      }
      expect(configError(yaml.replace('V', String(MAX_TIMER_MS)))).toBeNull();
    }
  });

  it('the library refuses timeoutMs / loadTimeoutMs a timer cannot wait', () => {
    for (const key of ['timeoutMs', 'loadTimeoutMs'] as const) {
      expect(() => resolveInferenceConfig({ [key]: MAX_TIMER_MS + 1 })).toThrow(
        expect.objectContaining({ code: 'CONFIG_INVALID' }),
      );
      expect(resolveInferenceConfig({ [key]: MAX_TIMER_MS })[key]).toBe(MAX_TIMER_MS);
    }
  });

  it('a timer over 2^31-1 ms waits (clamped), it does not fire after 1 ms', async () => {
    const never = new Promise<string>(() => undefined);
    const first = await Promise.race([
      withTimeout(never, MAX_TIMER_MS + 10, 'test').catch(() => 'timed out'),
      new Promise((r) => setTimeout(() => r('still waiting'), 50)),
    ]);
    expect(first).toBe('still waiting');
  });
});
