/**
 * The plugin contract (issue 15): apiVersion and shape checks that name the field, alias collisions refused, ESM
 * resolution of plugin packages from the project root, the plugin import timeout (issue 13 item 11), and JSON files a
 * plugin declares for its bundleSchema.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadPluginPackages } from '../../core/backend/load-plugins.js';
import { pluginShapeProblems, type BackendPlugin } from '../../core/backend/plugin.js';
import { BackendRegistry } from '../../core/backend/registry.js';
import { resolvePluginUrl } from '../../core/backend/resolve-plugin.js';
import { resolveInferenceConfig } from '../../core/inference-config.js';
import { createMemoryLogger, type LogEntry } from '../../core/logger.js';
import { PlannerInference } from '../../core/planner-inference.js';
import { heuristicPlugin } from '../../plugins/heuristic/heuristic-plugin.js';
import { makeScriptedBundle, prefer, scriptedPlugin } from '../support/scripted-plugin.js';

const script = () => prefer({ swarm: 1, candidates: 1, minutes: 1, iterations: 4 });
const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
function temp(): string {
  const d = mkdtempSync(join(tmpdir(), 'cyntra-plugin-contract-'));
  dirs.push(d);
  return d;
}
function write(root: string, files: Record<string, string>): void {
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(root, name, '..'), { recursive: true });
    writeFileSync(join(root, name), text);
  }
}
const PLUGIN_SOURCE = (name: string) =>
  `export default { apiVersion: 1, name: '${name}', priority: 1, description: 'd', needsBundle: false, init: async () => {}, createSession: async () => { throw new Error('x'); } };\n`;

describe('plugin shape', () => {
  const valid = scriptedPlugin({ script });

  it('accepts a complete plugin and names every missing or wrong field', () => {
    expect(pluginShapeProblems(valid)).toEqual([]);
    const fields = (p: unknown) => pluginShapeProblems(p).map((s) => s.split(':')[0]);
    expect(fields({ ...valid, apiVersion: undefined })).toEqual(['apiVersion']);
    expect(fields({ ...valid, apiVersion: 2 })).toEqual(['apiVersion']);
    expect(fields({ ...valid, description: undefined, needsBundle: 'yes' })).toEqual(['description', 'needsBundle']);
    expect(fields({ ...valid, name: 'auto' })).toEqual(['name']);
    expect(fields({ ...valid, aliases: ['ok', ''] })).toEqual(['aliases']);
    expect(fields({ ...valid, bundleSchema: { type: 'object' } })).toEqual(['bundleSchema']);
    expect(fields({ ...valid, jsonFiles: ['../up.json'] })).toEqual(['jsonFiles']);
    expect(fields({ ...valid, init: undefined, createSession: 1 })).toEqual(['init', 'createSession']);
    expect(fields(null)).toHaveLength(1);
  });

  it('register() refuses an invalid plugin with PLUGIN_INVALID naming the fields, and registers nothing', () => {
    const r = new BackendRegistry();
    let error: unknown;
    try {
      r.register({ ...valid, apiVersion: undefined, priority: Number.NaN } as never);
    } catch (e) {
      error = e;
    }
    expect(error).toMatchObject({ code: 'PLUGIN_INVALID', context: { fields: ['apiVersion', 'priority'] } });
    expect(r.list()).toEqual([]);
  });
});

describe('alias collisions', () => {
  const a = scriptedPlugin({ script, name: 'alpha' }); // aliases: alpha-alias
  it("refuses an alias that is another plugin's alias or name, and a name that is another plugin's alias", () => {
    const r = new BackendRegistry().register(a);
    const clash = (p: BackendPlugin) => () => r.register(p);
    expect(clash({ ...scriptedPlugin({ script, name: 'beta', priority: 99 }), aliases: ['alpha-alias'] })).toThrowError(
      expect.objectContaining({ code: 'BACKEND_DUPLICATE' }),
    );
    expect(clash({ ...scriptedPlugin({ script, name: 'beta' }), aliases: ['ALPHA'] })).toThrowError(
      expect.objectContaining({ code: 'BACKEND_DUPLICATE' }),
    );
    expect(clash({ ...scriptedPlugin({ script, name: 'alpha-alias' }), aliases: [] })).toThrowError(
      expect.objectContaining({ code: 'BACKEND_DUPLICATE' }),
    );
    expect(r.get('alpha-alias')).toBe(a);
    expect(r.get('beta')).toBeUndefined();
  });

  it('a higher-priority plugin of the same name takes its aliases over; the old ones it does not declare go', () => {
    const r = new BackendRegistry().register(a);
    const b = { ...scriptedPlugin({ script, name: 'alpha', priority: 50 }), aliases: ['alpha2'] };
    r.register(b);
    expect(r.get('alpha2')).toBe(b);
    expect(r.get('alpha-alias')).toBeUndefined();
  });
});

describe('plugin package resolution (ESM, from the project root)', () => {
  it('resolves a package whose exports has only "import", scoped packages, subpaths, main, and file paths', async () => {
    const root = temp();
    write(root, {
      'node_modules/esm-only/package.json': JSON.stringify({
        name: 'esm-only',
        type: 'module',
        exports: { '.': { import: './lib/plugin.js' }, './extra': { import: './lib/extra.js' } },
      }),
      'node_modules/esm-only/lib/plugin.js': PLUGIN_SOURCE('esm-only'),
      'node_modules/esm-only/lib/extra.js': PLUGIN_SOURCE('esm-extra'),
      'node_modules/@acme/be/package.json': JSON.stringify({
        name: '@acme/be',
        type: 'module',
        exports: { import: './p.js', require: './nope.cjs' },
      }),
      'node_modules/@acme/be/p.js': PLUGIN_SOURCE('acme'),
      'node_modules/old-style/package.json': JSON.stringify({ name: 'old-style', type: 'module', main: 'entry' }),
      'node_modules/old-style/entry.js': PLUGIN_SOURCE('old-style'),
      'local/plugin.mjs': PLUGIN_SOURCE('local'),
    });
    const project = join(root, 'project', 'deeper');
    mkdirSync(project, { recursive: true });
    expect(resolvePluginUrl('esm-only', project)).toMatch(/node_modules\/esm-only\/lib\/plugin\.js$/);
    const r = new BackendRegistry();
    await loadPluginPackages(
      r,
      ['esm-only', 'esm-only/extra', '@acme/be', 'old-style', '../../local/plugin.mjs'],
      project,
    );
    expect(
      r
        .list()
        .map((p) => p.name)
        .sort(),
    ).toEqual(['acme', 'esm-extra', 'esm-only', 'local', 'old-style']);
  });

  it('a package that is not installed, or exports no import entry, is PLUGIN_LOAD_FAILED naming the directory', async () => {
    const root = temp();
    write(root, {
      'node_modules/cjs-only/package.json': JSON.stringify({ name: 'cjs-only', exports: { require: './x.cjs' } }),
    });
    const r = new BackendRegistry();
    await expect(loadPluginPackages(r, ['not-installed'], root)).rejects.toMatchObject({
      code: 'PLUGIN_LOAD_FAILED',
      context: { fromDir: root },
    });
    await expect(loadPluginPackages(r, ['cjs-only'], root)).rejects.toMatchObject({ code: 'PLUGIN_LOAD_FAILED' });
  });

  it('a module that exports nothing usable is PLUGIN_INVALID; one with a bad plugin names its field', async () => {
    const root = temp();
    write(root, {
      'none.mjs': 'export const helper = 1;\n',
      'bad.mjs':
        'export const plugin = { apiVersion: 1, name: "bad", priority: 1, needsBundle: false, init: async () => {}, createSession: async () => {} };\n',
    });
    const r = new BackendRegistry();
    await expect(loadPluginPackages(r, ['./none.mjs'], root)).rejects.toMatchObject({ code: 'PLUGIN_INVALID' });
    await expect(loadPluginPackages(r, ['./bad.mjs'], root)).rejects.toMatchObject({
      code: 'PLUGIN_INVALID',
      context: { fields: ['description'] },
    });
  });

  it('an import that never settles is PLUGIN_LOAD_TIMEOUT after the timeout, not a silent exit', async () => {
    const root = temp();
    write(root, { 'hang.mjs': 'await new Promise(() => {});\nexport default {};\n' });
    await expect(
      loadPluginPackages(new BackendRegistry(), ['./hang.mjs'], root, { timeoutMs: 200 }),
    ).rejects.toMatchObject({ code: 'PLUGIN_LOAD_TIMEOUT', context: { timeoutMs: 200 } });
  });
});

describe('JSON files a plugin declares, and bundleSchema failures', () => {
  /** A scripted backend whose schema requires its own weights.json with a given shape. */
  const withWeights = (): BackendPlugin => ({
    ...scriptedPlugin({ script, name: 'weighted' }),
    jsonFiles: ['weights.json'],
    bundleSchema: {
      $id: 'https://cyntra-planner/test/weighted-bundle.json',
      type: 'object',
      required: ['json'],
      properties: {
        json: {
          type: 'object',
          required: ['weights.json'],
          properties: { 'weights.json': { type: 'object', required: ['w'] } },
        },
      },
    },
  });

  it('reads, parses and hands the declared file to bundleSchema and the session', async () => {
    const dir = makeScriptedBundle();
    dirs.push(dir);
    writeFileSync(join(dir, 'weights.json'), '{"w": [1, 2]}');
    const seen: unknown[] = [];
    const plugin = withWeights();
    const spy: BackendPlugin = {
      ...plugin,
      createSession: (b, ctx) => (seen.push(b?.json['weights.json']), plugin.createSession(b, ctx)),
    };
    const p = await PlannerInference.create(resolveInferenceConfig({ modelPath: dir, modelType: 'weighted' }), {
      registry: new BackendRegistry().register(heuristicPlugin).register(spy),
    });
    expect(p.backend).toBe('weighted');
    expect(seen).toEqual([{ w: [1, 2] }]);
    await p.dispose();
  });

  it('a declared file with bad JSON is BUNDLE_JSON_INVALID with line:col; a schema rejection of a named backend is a warning', async () => {
    const dir = makeScriptedBundle();
    dirs.push(dir);
    writeFileSync(join(dir, 'weights.json'), '{\n  "w": [1,,2]\n}');
    const entries: LogEntry[] = [];
    const registry = new BackendRegistry().register(heuristicPlugin).register(withWeights());
    const p = await PlannerInference.create(resolveInferenceConfig({ modelPath: dir, modelType: 'weighted' }), {
      registry,
      logger: createMemoryLogger(entries),
    });
    expect(p.backend).toBe('heuristic');
    expect(p.attempts[0]).toMatchObject({ backend: 'weighted', stage: 'bundle', code: 'BUNDLE_JSON_INVALID' });
    expect(p.attempts[0].message).toMatch(/weights\.json:2:\d+/);

    writeFileSync(join(dir, 'weights.json'), '{"v": 1}');
    entries.length = 0;
    const q = await PlannerInference.create(resolveInferenceConfig({ modelPath: dir, modelType: 'weighted' }), {
      registry,
      logger: createMemoryLogger(entries),
    });
    expect(q.attempts[0]).toMatchObject({ backend: 'weighted', stage: 'bundle', code: 'BUNDLE_SCHEMA' });
    expect(entries.filter((e) => e.level === 'warn' && e.fields.backend === 'weighted')).toHaveLength(1);
  });

  it("under auto, a bundle that is not a backend's kind stays a debug line", async () => {
    const dir = makeScriptedBundle();
    dirs.push(dir);
    const entries: LogEntry[] = [];
    const registry = new BackendRegistry()
      .register(heuristicPlugin)
      .register(withWeights())
      .register(scriptedPlugin({ script, name: 'plain', priority: 1 }));
    const p = await PlannerInference.create(resolveInferenceConfig({ modelPath: dir, modelType: 'auto' }), {
      registry,
      logger: createMemoryLogger(entries),
    });
    expect(p.backend).toBe('plain');
    expect(entries.filter((e) => e.fields.backend === 'weighted').map((e) => e.level)).toEqual(['debug']);
    await p.dispose();
  });
});
