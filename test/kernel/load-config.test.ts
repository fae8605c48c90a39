import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadKernelConfig, parseKernelConfig } from '../../core/kernel/load-config.js';
import { didYouMean, editDistance } from '../../core/kernel/did-you-mean.js';
import { INFERENCE_DEFAULTS } from '../../core/inference-config.js';
import { inferenceConfigOf } from '../../core/kernel/kernel.js';
import type { PlannerError } from '../../core/errors.js';
import { tempDir } from './kernel-helpers.js';

function parseError(text: string): PlannerError {
  try {
    parseKernelConfig(text, '/cfg/config.yaml', '/cfg');
  } catch (e) {
    return e as PlannerError;
  }
  throw new Error('expected the config to be rejected');
}

describe('kernel config loading', () => {
  it('names file:line:col and the key path of a value the schema rejects', () => {
    const e = parseError('planner:\n  enabled: true\n  inference:\n    confidence_threshold: 1.5\n');
    expect(e.code).toBe('CONFIG_INVALID');
    expect(e.context).toMatchObject({
      file: '/cfg/config.yaml',
      line: 4,
      col: 27,
      keyPath: 'planner.inference.confidence_threshold',
    });
    expect(e.message.startsWith('/cfg/config.yaml:4:27: planner.inference.confidence_threshold')).toBe(true);
  });

  it('points at the right node for a wrong type deep in a list', () => {
    const e = parseError('planner:\n  flags:\n    enabled_risk_levels:\n      - low\n      - extreme\n');
    expect(e.code).toBe('CONFIG_INVALID');
    expect(e.context).toMatchObject({ line: 5, col: 9, keyPath: 'planner.flags.enabled_risk_levels.1' });
  });

  it('points at a wrongly typed section', () => {
    const e = parseError('kernel:\n  runner: 3\n');
    expect(e.context).toMatchObject({ line: 2, col: 11, keyPath: 'kernel.runner' });
  });

  it('reports YAML syntax errors with their position as CONFIG_PARSE', () => {
    const e = parseError('planner:\n  enabled: true\n  model: [unclosed\n');
    expect(e.code).toBe('CONFIG_PARSE');
    expect(e.context.line).toBeGreaterThanOrEqual(3);
    expect(e.message).toMatch(/^\/cfg\/config\.yaml:\d+:\d+: /);
  });

  it('warns about unknown keys with a suggestion and their position, and still loads', () => {
    const { warnings, config } = parseKernelConfig(
      'planner:\n  inference:\n    confidence_treshold: 0.9\n  flagz: {}\nzzz_unrelated: 1\n',
      '/cfg/c.yaml',
      '/cfg',
    );
    expect(warnings.map((w) => [w.keyPath, w.line, w.col])).toEqual([
      ['planner.inference.confidence_treshold', 3, 5],
      ['planner.flagz', 4, 3],
      ['zzz_unrelated', 5, 1],
    ]);
    expect(warnings[0].message).toContain('did you mean "planner.inference.confidence_threshold"');
    expect(warnings[1].message).toContain('"planner.flags"');
    expect(warnings[2].message).not.toContain('did you mean');
    expect(config.planner.confidenceThreshold).toBe(INFERENCE_DEFAULTS.confidenceThreshold);
  });

  it('passes isolation, pool size, load timeout and trusted digests through to the inference config', () => {
    const digest = `sha256:${'a'.repeat(64)}`;
    const text = `planner:\n  model:\n    path: m\n    trusted_digests: ["${digest}"]\n  inference:\n    isolation: process\n    pool_size: 3\n    load_timeout_ms: 1234\n`;
    const inference = inferenceConfigOf(parseKernelConfig(text, '/cfg/config.yaml', '/cfg').config);
    expect(inference).toMatchObject({
      isolation: 'process',
      poolSize: 3,
      loadTimeoutMs: 1234,
      trustedDigests: [digest],
      modelPath: '/cfg/m',
    });
    const defaults = inferenceConfigOf(
      parseKernelConfig('planner:\n  model:\n    path: m\n', '/cfg/config.yaml', '/cfg').config,
    );
    expect(defaults).toMatchObject({
      isolation: INFERENCE_DEFAULTS.isolation,
      poolSize: INFERENCE_DEFAULTS.poolSize,
      loadTimeoutMs: INFERENCE_DEFAULTS.loadTimeoutMs,
    });
    expect(defaults.trustedDigests).toBeUndefined();
    expect(parseError('planner:\n  inference:\n    isolation: thread\n').code).toBe('CONFIG_INVALID');
  });

  it('resolves defaults in one place and paths against the root', () => {
    const { config } = parseKernelConfig(
      'planner:\n  model:\n    path: models/v1\nkernel:\n  issues: q.jsonl\n',
      '/p/.cyntra/config.yaml',
      '/elsewhere',
    );
    expect(config.root).toBe('/p');
    expect(config.planner.modelPath).toBe('/p/models/v1');
    expect(config.kernel.issues).toBe('/p/q.jsonl');
    expect(config.kernel.workcells).toBe('/p/.cyntra/workcells');
    expect(config.planner.caps).toEqual(INFERENCE_DEFAULTS.caps);
    expect(config.planner.enabledJobTypes).toEqual(['code', 'fab-world']);
    const other = parseKernelConfig('root: ..\n', '/a/b/config.yaml', '/x').config;
    expect(other.root).toBe('/a');
  });

  it('uses defaults when no config file exists, but rejects a missing explicit --config', () => {
    const dir = tempDir();
    const { config, warnings } = loadKernelConfig({ cwd: dir });
    expect(config.file).toBeNull();
    expect(config.root).toBe(dir);
    expect(warnings).toEqual([]);
    expect(() => loadKernelConfig({ cwd: dir, file: 'nope.yaml' })).toThrow(
      expect.objectContaining({ code: 'CONFIG_INVALID' }),
    );
    mkdirSync(join(dir, '.cyntra'));
    writeFileSync(join(dir, '.cyntra/config.yaml'), 'planner:\n  enabled: false\n');
    expect(loadKernelConfig({ cwd: dir }).config.planner.enabled).toBe(false);
  });

  it('suggests close keys only', () => {
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(didYouMean('safty', ['safety', 'flags'])).toBe('safety');
    expect(didYouMean('completely_else', ['safety', 'flags'])).toBeNull();
  });
});
