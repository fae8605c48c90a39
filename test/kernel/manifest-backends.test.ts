/**
 * What the manifest says about backends (issue 15): the requested backend, the one loaded, the one whose action was
 * recorded, and the failed load attempts; and `model.type` naming no backend is a config error (issue 13 item 15).
 */
import { readFileSync, rmSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { runKernel } from '../../core/kernel/kernel.js';
import { workcellPaths } from '../../core/kernel/workcell-paths.js';
import { createDefaultRegistry } from '../../plugins/index.js';
import { makeScriptedBundle, prefer, scriptedPlugin } from '../support/scripted-plugin.js';
import { issue, kernelConfig, runnerYaml, tempDir, writeRunnerScript } from './kernel-helpers.js';
import { MODEL_PICK } from './kernel-helpers.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function setUp(modelYaml: string) {
  const dir = tempDir();
  const bundle = makeScriptedBundle();
  dirs.push(dir, bundle);
  const yaml = `planner:\n  model:\n    path: ${bundle}\n${modelYaml}  inference:\n    confidence_threshold: 0\n  flags:\n    enabled_job_types: ["code"]\n${runnerYaml(writeRunnerScript(dir))}`;
  return { dir, config: kernelConfig(dir, yaml) };
}

const planner = (dir: string, id: string) =>
  JSON.parse(readFileSync(workcellPaths(`${dir}/wc`, id).manifest, 'utf8')).planner;

describe('manifest: requested, loaded and answering backend', () => {
  it('after an inference failure the heuristic answered: the manifest says so next to the loaded backend', async () => {
    const { dir, config } = setUp('    type: scripted\n');
    let calls = 0; // the load's warm-up passes; every later answer is NaN (an inference error)
    const nan = () => (calls++ === 0 ? prefer(MODEL_PICK) : { ...prefer(MODEL_PICK), swarm: [Number.NaN, 0] });
    const registry = createDefaultRegistry().register(scriptedPlugin({ script: nan }));
    await runKernel(config, [issue('A')], { registry });
    const p = planner(dir, 'A');
    expect(p).toMatchObject({
      backend: 'scripted',
      requested_backend: 'scripted',
      answering_backend: 'heuristic',
      load_attempts: [],
    });
    expect(p.planner_action.reason).toMatch(/^inference_error_/);
  });

  it('a confident model answers itself; failed load attempts before it are recorded with backend, stage and code', async () => {
    const { dir, config } = setUp('    type: broken\n    fallback: [scripted]\n');
    const registry = createDefaultRegistry()
      .register(scriptedPlugin({ script: () => prefer(MODEL_PICK), name: 'broken', failSession: true }))
      .register(scriptedPlugin({ script: () => prefer(MODEL_PICK) }));
    await runKernel(config, [issue('A')], { registry });
    const p = planner(dir, 'A');
    expect(p).toMatchObject({ backend: 'scripted', requested_backend: 'broken', answering_backend: 'scripted' });
    expect(p.load_attempts).toEqual([expect.objectContaining({ backend: 'broken', stage: 'session', code: 'Error' })]);
  });

  it('planner.model.type naming no registered backend is CONFIG_INVALID at the key, before anything runs', async () => {
    const { config } = setUp('    type: no-such-backend\n');
    await expect(runKernel(config, [issue('A')], { registry: createDefaultRegistry() })).rejects.toMatchObject({
      code: 'CONFIG_INVALID',
      context: { keyPath: 'planner.model.type' },
    });
  });
});
