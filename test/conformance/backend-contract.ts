/**
 * The backend contract, as one reusable suite: every backend plugin (built-in, test-only or third-party) must pass it.
 */
import { describe, expect, it } from 'vitest';
import { HEAD_NAMES } from '../../core/action.js';
import type { BackendPlugin, BackendSession } from '../../core/backend/plugin.js';
import { BackendRegistry } from '../../core/backend/registry.js';
import type { Bundle } from '../../core/bundle/bundle-types.js';
import { loadBundle } from '../../core/bundle/load-bundle.js';
import { createEncoderForBundle } from '../../core/encoders/select-encoder.js';
import { resolveInferenceConfig } from '../../core/inference-config.js';
import { silentLogger } from '../../core/logger.js';
import { buildPlannerInput } from '../../core/planner-input.js';
import { PlannerInference } from '../../core/planner-inference.js';
import { SchemaIds, SchemaRegistry } from '../../core/schemas.js';
import { heuristicPlugin } from '../../plugins/heuristic/heuristic-plugin.js';

export interface ContractCase {
  readonly plugin: BackendPlugin;
  /** Bundle directory, or null for backends that need none. */
  readonly bundleDir: string | null;
  /** Largest allowed difference between a batched and a single-item logit. */
  readonly tolerance?: number;
  /** Suite title suffix when one plugin runs over several bundles. */
  readonly label?: string;
}

const inputs = [
  buildPlannerInput({ issue: { id: 'C-1', dk_risk: 'high', tags: ['kernel', 'gate:test'], title: 'Fix flaky scheduler test' }, now: 1_700_000_000_000 }),
  buildPlannerInput({ issue: { id: 'C-2', dk_size: 'XL', tags: ['asset:world'], title: 'Build the walkable library' }, now: 1_700_000_000_000 }),
  buildPlannerInput({ issue: { id: 'C-3', dk_priority: 'P0', dk_risk: 'low', title: 'Typo' }, now: 1_700_000_000_000 }),
];

export function runBackendContract(c: ContractCase): void {
  describe(`backend contract: ${c.label ?? c.plugin.name}`, () => {
    let bundle: Bundle | null = null;
    const open = async (): Promise<BackendSession> => {
      bundle = c.bundleDir ? await loadBundle(c.bundleDir) : null;
      return c.plugin.createSession(bundle, { logger: silentLogger, options: {} });
    };

    it('declares its metadata, and its bundle schema compiles', () => {
      expect(c.plugin.name).toMatch(/^[a-z0-9][a-z0-9_-]*$/);
      expect(typeof c.plugin.priority).toBe('number');
      expect(c.plugin.description.length).toBeGreaterThan(0);
      expect(c.plugin.needsBundle).toBe(c.bundleDir !== null);
      if (c.plugin.bundleSchema) {
        const schemas = new SchemaRegistry();
        schemas.add(c.plugin.bundleSchema);
        expect(typeof c.plugin.bundleSchema.$id).toBe('string');
        expect(schemas.has(c.plugin.bundleSchema.$id as string)).toBe(true);
      }
    });

    it('initialises once through a registry, sharing the promise', async () => {
      const registry = new BackendRegistry().register(c.plugin);
      await Promise.all([registry.init(c.plugin.name), registry.init(c.plugin.name)]);
      const [row] = await registry.availability();
      expect(row).toMatchObject({ name: c.plugin.name, available: true, reason: null });
    });

    it('answers a batch with one finite logit vector per head and item, deterministically', async () => {
      await c.plugin.init({ logger: silentLogger });
      const session = await open();
      const space = bundle?.actionSpace ?? (await import('../../core/action-space.js')).ActionSpace.defaults();
      expect(session.backend).toBe(c.plugin.name);
      expect(['features', 'tokens', 'raw']).toContain(session.input.kind);
      const encoder = createEncoderForBundle(bundle, session.input);
      const batch = { inputs, encoded: encoder.encodeBatch(inputs) };
      const out = await session.infer(batch);
      expect(out).toHaveLength(inputs.length);
      for (const logits of out) {
        for (const head of HEAD_NAMES) {
          expect(logits[head]).toBeInstanceOf(Float32Array);
          expect(logits[head].length).toBe(space.headSize(head));
          expect(Array.from(logits[head]).every(Number.isFinite)).toBe(true);
        }
      }
      const again = await session.infer(batch);
      expect(again.map((l) => HEAD_NAMES.map((h) => Array.from(l[h])))).toEqual(out.map((l) => HEAD_NAMES.map((h) => Array.from(l[h]))));
      for (let i = 0; i < inputs.length; i++) {
        const [single] = await session.infer({ inputs: [inputs[i]], encoded: encoder.encodeBatch([inputs[i]]) });
        for (const head of HEAD_NAMES) {
          const diff = Math.max(...Array.from(single[head]).map((v, k) => Math.abs(v - out[i][head][k])));
          expect(diff).toBeLessThanOrEqual(c.tolerance ?? 1e-5);
        }
      }
      await session.dispose();
    });

    it('refuses work after dispose with SESSION_DISPOSED, and tolerates a second dispose', async () => {
      await c.plugin.init({ logger: silentLogger });
      const session = await open();
      const encoder = createEncoderForBundle(bundle, session.input);
      await session.dispose();
      await expect(session.infer({ inputs: [inputs[0]], encoded: encoder.encodeBatch([inputs[0]]) })).rejects.toMatchObject({ code: 'SESSION_DISPOSED' });
      await expect(session.dispose()).resolves.toBeUndefined();
    });

    it('serves PlannerInference end to end with schema-valid records', async () => {
      const registry = new BackendRegistry().register(heuristicPlugin).register(c.plugin);
      const planner = await PlannerInference.create(resolveInferenceConfig({ modelPath: c.bundleDir, modelType: c.plugin.name, confidenceThreshold: 0, timeoutMs: 60_000 }), { registry });
      expect(planner.backend).toBe(c.plugin.name);
      expect(planner.attempts).toEqual([]);
      const schemas = new SchemaRegistry();
      for (const [i, o] of (await planner.predictMany(inputs)).entries()) {
        expect(schemas.validate(SchemaIds.plannerAction, o.record).errors).toEqual([]);
        expect(planner.actionSpace.isValid(inputs[i].job_type, o.action) || o.action.abstain_to_default).toBe(true);
      }
      await planner.dispose();
    });
  });
}
