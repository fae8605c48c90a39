/**
 * lint and third-party backends (issue 15): a plugin's declared JSON files are read and checked as the loader does,
 * and a `config.json` `model_type` naming an unloaded backend is warned about by that name.
 */
import { rmSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import type { BackendPlugin } from '../../core/backend/plugin.js';
import { BackendRegistry } from '../../core/backend/registry.js';
import { lintBundle } from '../../core/lint/index.js';
import { createDefaultRegistry } from '../../plugins/index.js';
import { coreFiles, json, writeBundle } from './bundle-dir.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
const bundle = (files: Record<string, string>) => {
  const dir = writeBundle(files);
  dirs.push(dir);
  return dir;
};

const weighted: BackendPlugin = {
  apiVersion: 1,
  name: 'weighted',
  priority: 1,
  description: 'test-only: reads weights.json',
  needsBundle: true,
  jsonFiles: ['weights.json'],
  bundleSchema: {
    $id: 'https://cyntra-planner/test/lint-weighted.json',
    type: 'object',
    properties: {
      json: {
        type: 'object',
        required: ['weights.json'],
        properties: { 'weights.json': { type: 'object', required: ['w'], properties: { w: { type: 'array' } } } },
      },
    },
  },
  init: async () => undefined,
  createSession: async () => {
    throw new Error('not used');
  },
};

describe("lint: a plugin's declared JSON files", () => {
  const registry = new BackendRegistry().register(weighted);
  const files = (weights: string) => ({
    ...coreFiles(),
    'config.json': json({ model_type: 'weighted', d_in: 3779, encoder: 'features.v1' }),
    'weights.json': weights,
  });

  it('passes the plugin schema when the declared file fits it', async () => {
    const r = await lintBundle(bundle(files(json({ w: [1] }))), { registry, warmUp: false });
    expect(r.backend).toBe('weighted');
    expect(r.problems.filter((p) => p.severity === 'error')).toEqual([]);
  });

  it('points a schema problem into the declared file, and reports its bad JSON with line:col', async () => {
    const wrong = await lintBundle(bundle(files(json({ w: 'no' }))), { registry });
    expect(wrong.problems.filter((p) => p.severity === 'error')).toEqual([
      expect.objectContaining({ code: 'BUNDLE_SCHEMA', file: 'weights.json', pointer: '/w' }),
    ]);
    const broken = await lintBundle(bundle(files('{\n  "w": [1,,2]\n}\n')), { registry });
    const syntax = broken.problems.find((p) => p.code === 'BUNDLE_JSON_INVALID');
    expect(syntax).toMatchObject({ file: 'weights.json', line: 2 });
  });
});

describe('lint: which backend', () => {
  it('a config.json model_type naming an unloaded backend is a BACKEND_UNKNOWN warning at /model_type, naming it', async () => {
    const r = await lintBundle(bundle({ ...coreFiles(), 'config.json': json({ model_type: 'linear', d_in: 3779 }) }), {
      registry: createDefaultRegistry(),
    });
    expect(r.problems.filter((p) => p.code === 'BACKEND_UNKNOWN')).toEqual([
      expect.objectContaining({ severity: 'warning', file: 'config.json', pointer: '/model_type' }),
    ]);
    expect(r.problems.find((p) => p.code === 'BACKEND_UNKNOWN')?.message).toContain('"linear"');
    expect(r.problems.map((p) => p.code)).not.toContain('BUNDLE_BACKEND_UNDETERMINED');
  });
});
