import { describe, expect, it } from 'vitest';
import { loadPluginPackages } from '../../core/backend/load-plugins.js';
import { BackendRegistry } from '../../core/backend/registry.js';
import { resolveInferenceConfig } from '../../core/inference-config.js';
import { PlannerInference } from '../../core/planner-inference.js';
import { heuristicPlugin } from '../../plugins/heuristic/heuristic-plugin.js';
import { createDefaultRegistry } from '../../plugins/index.js';
import { makeScriptedBundle, prefer, scriptedPlugin } from '../support/scripted-plugin.js';
import { fileURLToPath } from 'node:url';
import { dirname } from 'node:path';

const script = () => prefer({ swarm: 1, candidates: 1, minutes: 1, iterations: 4 });

describe('BackendRegistry', () => {
  it('resolves names and aliases case-insensitively; each test gets its own registry', () => {
    const a = new BackendRegistry().register(scriptedPlugin({ script }));
    const b = new BackendRegistry();
    expect(a.get('SCRIPTED')?.name).toBe('scripted');
    expect(a.get('scripted-alias')?.name).toBe('scripted');
    expect(b.get('scripted')).toBeUndefined();
  });

  it('keeps the higher priority on a name clash and refuses a tie', () => {
    const low = scriptedPlugin({ script, priority: 1 });
    const high = scriptedPlugin({ script, priority: 5 });
    const r = new BackendRegistry()
      .register(low)
      .register(high)
      .register(scriptedPlugin({ script, priority: 2 }));
    expect(r.get('scripted')).toBe(high);
    expect(() => r.register(scriptedPlugin({ script, priority: 5 }))).toThrowError(
      expect.objectContaining({ code: 'BACKEND_DUPLICATE' }),
    );
    expect(() => r.register({ name: 'x' } as never)).toThrowError(expect.objectContaining({ code: 'PLUGIN_INVALID' }));
  });

  it('inits lazily, shares the init promise and remembers a failure', async () => {
    const calls = { init: 0, infer: 0, disposed: 0 };
    const r = new BackendRegistry().register(scriptedPlugin({ script, calls, failInit: true }));
    expect(calls.init).toBe(0);
    const [x, y] = await Promise.allSettled([r.init('scripted'), r.init('scripted-alias')]);
    expect(x.status).toBe('rejected');
    expect(y.status).toBe('rejected');
    await expect(r.init('scripted')).rejects.toMatchObject({ code: 'BACKEND_INIT_FAILED' });
    expect(calls.init).toBe(1);
    const avail = await r.availability();
    expect(avail[0]).toMatchObject({ name: 'scripted', available: false });
    expect(avail[0].reason).toContain('native module not found');
  });

  it('orders candidates: requested, fallback chain, heuristic last; auto means bundle backends by priority', () => {
    const r = new BackendRegistry()
      .register(heuristicPlugin)
      .register(scriptedPlugin({ script, name: 'alpha', priority: 1 }))
      .register(scriptedPlugin({ script, name: 'beta', priority: 9 }));
    expect(r.candidates('alpha', ['beta'])).toEqual(['alpha', 'beta', 'heuristic']);
    expect(r.candidates('alpha-alias', ['alpha', 'nope'])).toEqual(['alpha-alias', 'nope', 'heuristic']);
    expect(r.candidates('auto', [])).toEqual(['beta', 'alpha', 'heuristic']);
  });

  it('walks the fallback chain to the next working backend and records each failed attempt', async () => {
    const r = new BackendRegistry()
      .register(heuristicPlugin)
      .register(scriptedPlugin({ script, name: 'broken', failSession: true }))
      .register(scriptedPlugin({ script, name: 'good' }));
    const p = await PlannerInference.create(
      resolveInferenceConfig({ modelPath: makeScriptedBundle(), modelType: 'missing', fallback: ['broken', 'good'] }),
      { registry: r },
    );
    expect(p.backend).toBe('good');
    expect(p.attempts.map((a) => [a.backend, a.stage, a.code])).toEqual([
      ['missing', 'resolve', 'BACKEND_UNKNOWN'],
      ['broken', 'session', 'Error'],
    ]);
    expect(
      (await p.predict((await import('../../core/planner-input.js')).buildPlannerInput({ issue: { id: 'x' }, now: 0 })))
        .action.reason,
    ).toBeNull();
  });

  it('reports every attempt in one error when nothing works, heuristic included', async () => {
    const r = new BackendRegistry().register(scriptedPlugin({ script, failInit: true }));
    const err = await PlannerInference.create(
      resolveInferenceConfig({ modelPath: makeScriptedBundle(), modelType: 'scripted' }),
      { registry: r },
    ).catch((e) => e);
    expect(err.code).toBe('BACKEND_UNAVAILABLE');
    expect(err.context.attempts.map((a: { backend: string }) => a.backend)).toEqual(['scripted', 'heuristic']);
    expect(err.message).toContain('scripted (init)');
    expect(err.message).toContain('heuristic (resolve)');
  });

  it('refuses a bundle that does not fit the plugin schema', async () => {
    const r = new BackendRegistry().register(heuristicPlugin).register(scriptedPlugin({ script }));
    const dir = makeScriptedBundle();
    const { rmSync } = await import('node:fs');
    rmSync(`${dir}/scripted.json`);
    const p = await PlannerInference.create(resolveInferenceConfig({ modelPath: dir, modelType: 'scripted' }), {
      registry: r,
    });
    expect(p.attempts[0]).toMatchObject({ backend: 'scripted', stage: 'bundle', code: 'BUNDLE_SCHEMA' });
  });

  it('loads a third-party plugin named in config from its own module, with no change to core/', async () => {
    const r = createDefaultRegistry();
    const here = dirname(fileURLToPath(import.meta.url));
    const loaded = await loadPluginPackages(r, ['../support/third-party-plugin.ts'], here);
    expect(loaded.map((p) => p.name)).toEqual(['third-party']);
    const p = await PlannerInference.create(
      resolveInferenceConfig({ modelPath: makeScriptedBundle(), modelType: 'third-party' }),
      { registry: r },
    );
    expect(p.backend).toBe('third-party');
    await expect(loadPluginPackages(r, ['no-such-planner-plugin'], here)).rejects.toMatchObject({
      code: 'PLUGIN_LOAD_FAILED',
    });
  });
});
