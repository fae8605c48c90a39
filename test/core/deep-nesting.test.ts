/** Issue 13 item 7: deeply nested input never overflows the stack; the CLI refuses it with a coded error. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { canonicalJson, canonicalJsonSlow, inputHash } from '../../core/canonical-json.js';
import { resolveInferenceConfig } from '../../core/inference-config.js';
import { parseIssue } from '../../core/kernel/issue-source.js';
import { silentLogger } from '../../core/logger.js';
import { buildPlannerInput } from '../../core/planner-input.js';
import { PlannerInference } from '../../core/planner-inference.js';
import { createDefaultRegistry } from '../../plugins/index.js';
import { runCli } from '../support/cli-run.js';

const ROOT = resolve(import.meta.dirname, '../..');
const dir = mkdtempSync(join(tmpdir(), 'cyntra-deep-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** `depth` levels of alternating arrays and objects around a leaf, built without recursion. */
function nested(depth: number): unknown {
  let v: unknown = 'leaf';
  for (let i = 0; i < depth; i++) v = i % 2 ? [v] : { k: v };
  return v;
}

const nestedText = (depth: number): string => '{"k":['.repeat(depth / 2) + '1' + ']}'.repeat(depth / 2);

const cli = (argv: string[]) => runCli(argv, ROOT);

describe('deep nesting', () => {
  it('canonical JSON writes any depth (fast and reference writers), equal to the expected text', () => {
    for (const depth of [5_000, 50_000]) {
      const value = JSON.parse(nestedText(depth));
      const want = nestedText(depth).replace(/\s/g, '');
      expect(canonicalJson(value)).toBe(want);
      expect(canonicalJsonSlow(value)).toBe(want);
    }
  });

  it('library predict never throws on an issue nested 5,000+ levels deep: it answers, with a record hash', async () => {
    const planner = await PlannerInference.create(
      resolveInferenceConfig({ modelPath: join(ROOT, 'fixtures/bundles/onnx-spec-small'), modelType: 'onnx' }),
      {
        registry: createDefaultRegistry({ logger: silentLogger }),
      },
    );
    try {
      for (const depth of [5_000, 20_000]) {
        const base = buildPlannerInput({ issue: { id: `deep-${depth}` }, now: 0 });
        const input = { ...base, issue: { ...base.issue, extra: nested(depth) } };
        const out = await planner.predict(input);
        expect(out.record.input_hash).toMatch(/^[0-9a-f]{64}$/);
        expect(out.record.input_hash).toBe(inputHash(input as never));
      }
    } finally {
      await planner.dispose();
    }
  });

  it('predict --input with deep nesting exits 2 with one coded line', async () => {
    for (const depth of [102, 5_000]) {
      const file = join(dir, `deep-${depth}.json`);
      const base = JSON.stringify(buildPlannerInput({ issue: { id: 'deep' }, now: 0 }));
      writeFileSync(file, base.replace('"issue":{', `"issue":{"extra":${nestedText(depth)},`));
      const r = await cli(['predict', '--input', file]);
      expect([depth, r.code, r.stdout]).toEqual([depth, 2, '']);
      expect(r.stderr).toMatch(/^cyntra-planner: INPUT_INVALID: [^\n]*\n$/);
    }
  });

  it('an issue line nested too deep is refused at parse time with file:line', () => {
    for (const depth of [102, 5_000]) {
      try {
        parseIssue(`{"id":"x","extra":${nestedText(depth)}}`, 'issues.jsonl:7');
        expect.unreachable();
      } catch (e) {
        expect((e as { code: string }).code).toBe('INPUT_INVALID');
        expect((e as Error).message).toMatch(/^issues\.jsonl:7: /);
      }
    }
    expect(parseIssue(`{"id":"x","extra":${nestedText(90)}}`, 'q:1').id).toBe('x');
  });
});
