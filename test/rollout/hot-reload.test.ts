/**
 * Hot reload under a stream of predictions: no prediction fails, every record names the digest of the bundle that
 * produced it, in-flight predictions finish on the old bundle, a corrupt or untrusted new bundle is refused and the
 * old one keeps serving. The new bundle arrives the documented way: metadata.json renamed into place last.
 */
import { renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { BackendPlugin } from '../../core/backend/plugin.js';
import { BackendRegistry } from '../../core/backend/registry.js';
import { resolveInferenceConfig } from '../../core/inference-config.js';
import { silentLogger } from '../../core/logger.js';
import { buildPlannerInput } from '../../core/planner-input.js';
import { PlannerInference, type PredictOutcome } from '../../core/planner-inference.js';
import { BundleReloader, type ReloadOutcome } from '../../core/rollout/bundle-reloader.js';
import { BundleWatcher } from '../../core/rollout/bundle-watcher.js';
import { ServingPlanner } from '../../core/rollout/serving-planner.js';
import { heuristicPlugin } from '../../plugins/heuristic/heuristic-plugin.js';
import { MODEL_PICK } from '../kernel/kernel-helpers.js';
import { makeScriptedBundle, prefer, scriptedPlugin } from '../support/scripted-plugin.js';

const cleanup: (() => unknown)[] = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});

/**
 * Each inference takes a few ms (async), so predictions are in flight when a swap happens; like a native session,
 * one disposed mid-inference fails it. The inference budget is set far out (setUp): this test is about reloads,
 * not a loaded machine's timings.
 */
function registry(): BackendRegistry {
  const inner = scriptedPlugin({ script: () => prefer(MODEL_PICK, 10), delayMs: 3 });
  const plugin: BackendPlugin = {
    ...inner,
    async createSession(bundle, ctx) {
      const session = await inner.createSession(bundle, ctx);
      let disposed = false;
      return {
        ...session,
        async infer(batch) {
          const out = await session.infer(batch);
          if (disposed) throw new Error('session disposed while an inference was in flight');
          return out;
        },
        async dispose() {
          disposed = true;
          await session.dispose();
        },
      };
    },
  };
  return new BackendRegistry().register(heuristicPlugin).register(plugin);
}

/** The documented writer: other files first, then metadata.json via an atomic rename. */
function publish(dir: string, files: Record<string, string>, version: string): void {
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  writeFileSync(
    join(dir, 'metadata.json.tmp'),
    JSON.stringify({
      schema_version: 'cyntra.model_bundle.v1',
      model_name: 'scripted_planner',
      model_version: version,
    }),
  );
  renameSync(join(dir, 'metadata.json.tmp'), join(dir, 'metadata.json'));
}

async function setUp(trusted?: (dir: string) => Promise<string[]>) {
  const dir = makeScriptedBundle({
    'metadata.json': { schema_version: 'cyntra.model_bundle.v1', model_name: 'scripted_planner', model_version: 'v1' },
  });
  cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
  const deps = { registry: registry(), logger: silentLogger };
  const config = resolveInferenceConfig({
    modelPath: dir,
    modelType: 'scripted',
    timeoutMs: 60_000,
    ...(trusted ? { trustedDigests: await trusted(dir) } : {}),
  });
  const serving = await ServingPlanner.create(await PlannerInference.create(config, deps));
  cleanup.push(() => serving.close());
  const outcomes: ReloadOutcome[] = [];
  const reloader = new BundleReloader(serving, config, deps, (o) => outcomes.push(o));
  return { dir, serving, reloader, outcomes };
}

interface Seen {
  readonly digestAtCall: string | null;
  readonly outcome: PredictOutcome;
}

/** `workers` loops of predictions until `stop()`; each notes the digest serving when it was called. */
function stream(serving: ServingPlanner, workers = 4) {
  const seen: Seen[] = [];
  let running = true;
  const loops = Array.from({ length: workers }, async (_, w) => {
    for (let i = 0; running; i++) {
      const digestAtCall = serving.digest;
      const outcome = await serving.predict(buildPlannerInput({ issue: { id: `S-${w}-${i}` }, now: 0 }));
      seen.push({ digestAtCall, outcome });
    }
  });
  return { seen, stop: async () => ((running = false), await Promise.all(loops)) };
}

const until = async (check: () => boolean): Promise<void> => {
  while (!check()) await new Promise((r) => setTimeout(r, 5));
};

describe('hot reload', () => {
  it('swaps under load through the watcher, then refuses a corrupt bundle while the old one keeps serving', async () => {
    const { dir, serving, reloader, outcomes } = await setUp();
    const d1 = serving.digest;
    expect(d1).toMatch(/^sha256:[0-9a-f]{64}$/);
    const watcher = new BundleWatcher(dir, 50, () => void reloader.reload('watch'), silentLogger);
    cleanup.push(() => watcher.close());
    const s = stream(serving);
    await until(() => s.seen.length >= 20);
    publish(dir, { 'scripted.json': '{"v": 2}' }, 'v2');
    await until(() => outcomes.length === 1);
    const d2 = serving.digest;
    expect(outcomes[0]).toMatchObject({ trigger: 'watch', result: 'loaded', previous: d1, digest: d2 });
    expect(d2).not.toBe(d1);
    const afterSwap = s.seen.length;
    await until(() => s.seen.length >= afterSwap + 20);

    publish(dir, { 'config.json': '{"model_type": "mlp", ' }, 'v3-corrupt');
    await until(() => outcomes.length === 2);
    expect(outcomes[1]).toMatchObject({
      result: 'refused',
      previous: d2,
      reason: expect.stringMatching(/^BUNDLE_JSON_INVALID/),
    });
    const afterRefusal = s.seen.length;
    await until(() => s.seen.length >= afterRefusal + 20);
    await s.stop();

    expect(serving.digest).toBe(d2);
    // No prediction failed or fell back, and each names the bundle that was serving when it was asked.
    expect(s.seen.filter((x) => x.outcome.record.reason !== null)).toEqual([]);
    expect(s.seen.every((x) => x.outcome.record.model.version === x.digestAtCall)).toBe(true);
    const versions = new Set(s.seen.map((x) => x.outcome.record.model.version));
    expect(versions).toEqual(new Set([d1, d2]));
    expect(s.seen.slice(afterRefusal).every((x) => x.outcome.record.model.version === d2)).toBe(true);
  });

  it('refuses a new bundle whose digest is not on trusted_digests; unchanged bundles are not swapped', async () => {
    const { dir, serving, reloader } = await setUp(async (d) => {
      const first = await ServingPlanner.create(
        await PlannerInference.create(resolveInferenceConfig({ modelPath: d, modelType: 'scripted' }), {
          registry: registry(),
        }),
      );
      const digest = first.digest!;
      await first.close();
      return [digest];
    });
    const d1 = serving.digest;
    expect(await reloader.reload('manual')).toMatchObject({ result: 'unchanged', digest: d1 });
    publish(dir, { 'scripted.json': '{"v": "untrusted"}' }, 'v2');
    expect(await reloader.reload('sighup')).toMatchObject({
      result: 'refused',
      reason: expect.stringMatching(/^BUNDLE_UNTRUSTED/),
    });
    expect(serving.digest).toBe(d1);
    const out = await serving.predict(buildPlannerInput({ issue: { id: 'after' }, now: 0 }));
    expect(out.record).toMatchObject({ reason: null, model: { version: d1 } });
  });
});
