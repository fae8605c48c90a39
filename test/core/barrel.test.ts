/** The public API: the barrel exposes each layer, and the package's `exports` resolve for a consumer. */
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import * as api from '../../core/index.js';
import { packageRoot } from '../../core/paths.js';

describe('public API', () => {
  it('exports every layer from the barrel', () => {
    const names = [
      'PlannerInference',
      'resolveInferenceConfig',
      'buildPlannerInput',
      'BackendRegistry',
      'loadBundle',
      'decodeJoint',
      'createEncoderForBundle',
      'createFeaturesEncoder',
      'createTokensEncoder',
      'runKernel',
      'loadKernelConfig',
      'lintBundles',
      'formatReport',
      'loadIsolatedModel',
      'Scheduler',
      'dispatch',
      'selectSimilarRuns',
    ] as const;
    for (const name of names) expect(typeof (api as Record<string, unknown>)[name], name).toBe('function');
  });

  it('resolves `cyntra-planner` and `cyntra-planner/plugins` through package.json exports (built files)', () => {
    const script = `
      const core = await import('cyntra-planner');
      const plugins = await import('cyntra-planner/plugins');
      const registry = plugins.createDefaultRegistry();
      console.log(JSON.stringify({ planner: typeof core.PlannerInference, backends: registry.list().map((p) => p.name) }));`;
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], {
      cwd: packageRoot(),
      encoding: 'utf8',
    });
    expect(JSON.parse(out)).toEqual({ planner: 'function', backends: ['onnx', 'tfjs', 'heuristic'] });
  });
});
