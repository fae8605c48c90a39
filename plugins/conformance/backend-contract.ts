/**
 * The backend contract as one reusable vitest suite: every backend plugin (built-in, test-only or third-party) must
 * pass it. Published as `cyntra-planner/conformance`; a third party runs it from its own project with vitest:
 *
 *   import { runBackendContract } from 'cyntra-planner/conformance';
 *   import plugin from '../src/index.js';
 *   runBackendContract({ plugin, bundleDir: new URL('../bundle', import.meta.url) });
 */
import { describe, expect, it } from 'vitest';
import { HEAD_NAMES } from '../../core/action.js';
import { ActionSpace } from '../../core/action-space.js';
import { fileURLToPath } from 'node:url';
import {
  PLUGIN_API_VERSION,
  pluginShapeProblems,
  type BackendPlugin,
  type BackendSession,
  type HeadLogits,
} from '../../core/backend/plugin.js';
import { BackendRegistry } from '../../core/backend/registry.js';
import type { Bundle } from '../../core/bundle/bundle-types.js';
import { loadBundle } from '../../core/bundle/load-bundle.js';
import { withPluginJsonFiles } from '../../core/bundle/plugin-json-files.js';
import { createEncoderForBundle } from '../../core/encoders/select-encoder.js';
import { resolveInferenceConfig } from '../../core/inference-config.js';
import { silentLogger } from '../../core/logger.js';
import { buildPlannerInput } from '../../core/planner-input.js';
import { PlannerInference } from '../../core/planner-inference.js';
import { SchemaIds, SchemaRegistry } from '../../core/schemas.js';
import { heuristicPlugin } from '../heuristic/heuristic-plugin.js';

export interface ContractCase {
  readonly plugin: BackendPlugin;
  /** Bundle directory (a path, relative to the cwd, or a `file:` URL), or null for backends that need none. */
  readonly bundleDir: string | URL | null;
  /** Largest allowed difference between a batched and a single-item logit (default 1e-5). */
  readonly tolerance?: number;
  /** Suite title suffix when one plugin runs over several bundles. */
  readonly label?: string;
  /** Options passed to `createSession` as `planner.backend_options.<name>` would be (default `{}`). */
  readonly options?: Readonly<Record<string, unknown>>;
}

const inputs = [
  buildPlannerInput({
    issue: { id: 'C-1', dk_risk: 'high', tags: ['kernel', 'gate:test'], title: 'Fix flaky scheduler test' },
    now: 1_700_000_000_000,
  }),
  buildPlannerInput({
    issue: { id: 'C-2', dk_size: 'XL', tags: ['asset:world'], title: 'Build the walkable library' },
    now: 1_700_000_000_000,
  }),
  buildPlannerInput({ issue: { id: 'C-3', dk_priority: 'P0', dk_risk: 'low', title: 'Typo' }, now: 1_700_000_000_000 }),
];

/** The bundle directory as a path (a `file:` URL is accepted, so `new URL('../bundle', import.meta.url)` works). */
function bundlePath(c: ContractCase): string | null {
  if (c.bundleDir === null) return null;
  return c.bundleDir instanceof URL || c.bundleDir.startsWith('file:') ? fileURLToPath(c.bundleDir) : c.bundleDir;
}

/** The bundle as the core hands it to this plugin: checked, with the plugin's declared JSON files parsed. */
async function bundleFor(c: ContractCase): Promise<Bundle | null> {
  const dir = bundlePath(c);
  return dir ? withPluginJsonFiles(await loadBundle(dir), c.plugin.jsonFiles) : null;
}

async function openSession(c: ContractCase): Promise<{ session: BackendSession; bundle: Bundle | null }> {
  await c.plugin.init({ logger: silentLogger });
  const bundle = await bundleFor(c);
  return { session: await c.plugin.createSession(bundle, { logger: silentLogger, options: c.options ?? {} }), bundle };
}

function checkShape(c: ContractCase): void {
  expect(pluginShapeProblems(c.plugin)).toEqual([]);
  expect(c.plugin.apiVersion).toBe(PLUGIN_API_VERSION);
  expect(c.plugin.name).toMatch(/^[a-z0-9][a-z0-9_.-]*$/);
  expect(c.plugin.needsBundle).toBe(c.bundleDir !== null);
}

async function checkBundleSchema(c: ContractCase): Promise<void> {
  if (!c.plugin.bundleSchema) return;
  const schemas = new SchemaRegistry();
  schemas.add(c.plugin.bundleSchema);
  const id = c.plugin.bundleSchema.$id as string;
  expect(schemas.has(id)).toBe(true);
  const b = await bundleFor(c);
  if (b) expect(schemas.validate(id, { files: b.files, json: b.json }).errors).toEqual([]);
}

async function checkInit(c: ContractCase): Promise<void> {
  const registry = new BackendRegistry().register(c.plugin);
  await Promise.all([registry.init(c.plugin.name), registry.init(c.plugin.name)]);
  const [row] = await registry.availability();
  expect(row).toMatchObject({ name: c.plugin.name, available: true, reason: null });
}

const asArrays = (out: readonly HeadLogits[]) => out.map((l) => HEAD_NAMES.map((h) => Array.from(l[h])));

async function checkLogits(c: ContractCase): Promise<void> {
  const { session, bundle } = await openSession(c);
  try {
    const space = bundle?.actionSpace ?? ActionSpace.defaults();
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
    expect(asArrays(await session.infer(batch))).toEqual(asArrays(out));
    for (let i = 0; i < inputs.length; i++) {
      const [single] = await session.infer({ inputs: [inputs[i]], encoded: encoder.encodeBatch([inputs[i]]) });
      for (const head of HEAD_NAMES) {
        const diff = Math.max(...Array.from(single[head]).map((v, k) => Math.abs(v - out[i][head][k])));
        expect(diff).toBeLessThanOrEqual(c.tolerance ?? 1e-5);
      }
    }
  } finally {
    await session.dispose();
  }
}

async function checkDispose(c: ContractCase): Promise<void> {
  const { session, bundle } = await openSession(c);
  const encoder = createEncoderForBundle(bundle, session.input);
  await session.dispose();
  await expect(session.infer({ inputs: [inputs[0]], encoded: encoder.encodeBatch([inputs[0]]) })).rejects.toMatchObject(
    { code: 'SESSION_DISPOSED' },
  );
  await expect(session.dispose()).resolves.toBeUndefined();
}

async function checkPlanner(c: ContractCase): Promise<void> {
  const registry = new BackendRegistry().register(heuristicPlugin).register(c.plugin);
  const config = resolveInferenceConfig({
    modelPath: bundlePath(c),
    modelType: c.plugin.name,
    confidenceThreshold: 0,
    timeoutMs: 60_000,
    backendOptions: { [c.plugin.name]: c.options ?? {} },
  });
  const planner = await PlannerInference.create(config, { registry });
  try {
    expect(planner.attempts).toEqual([]);
    expect(planner.backend).toBe(c.plugin.name);
    const schemas = new SchemaRegistry();
    for (const [i, o] of (await planner.predictMany(inputs)).entries()) {
      expect(schemas.validate(SchemaIds.plannerAction, o.record).errors).toEqual([]);
      expect(planner.actionSpace.isValid(inputs[i].job_type, o.action) || o.action.abstain_to_default).toBe(true);
    }
  } finally {
    await planner.dispose();
  }
}

/** Registers the suite (a `describe` block) for one plugin and bundle. Call it at the top level of a test file. */
export function runBackendContract(c: ContractCase): void {
  describe(`backend contract: ${c.label ?? c.plugin.name}`, () => {
    it('has the plugin shape the registry checks (apiVersion, name, priority, description, needsBundle, init, createSession)', () =>
      checkShape(c));
    it('has a bundle schema that compiles and accepts its own bundle', () => checkBundleSchema(c));
    it('initialises once through a registry, sharing the promise', () => checkInit(c));
    it('answers a batch with one finite logit vector per head and item, deterministically, batch = single', () =>
      checkLogits(c));
    it('refuses work after dispose with SESSION_DISPOSED, and tolerates a second dispose', () => checkDispose(c));
    it('serves PlannerInference end to end with schema-valid records', () => checkPlanner(c));
  });
}
