import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createDefaultRegistry } from '../../plugins/index.js';
import { MANIFEST_SCHEMA_ID } from '../../core/kernel/dispatcher.js';
import { runKernel } from '../../core/kernel/kernel.js';
import { RUN_SUMMARY_SCHEMA_ID } from '../../core/kernel/run-summaries.js';
import { SchemaRegistry, type ValidationResult } from '../../core/schemas.js';
import { prefer, scriptedPlugin } from '../support/scripted-plugin.js';
import {
  MODEL_PICK,
  issue,
  kernelConfig,
  runnerYaml,
  scriptedPlannerYaml,
  tempDir,
  writeRunnerScript,
} from './kernel-helpers.js';

/** Records every schema id validated, in order, into a shared event list. */
class RecordingSchemas extends SchemaRegistry {
  constructor(private readonly events: string[]) {
    super();
  }

  override compile(ids: readonly string[]): void {
    for (const id of ids) this.events.push(`compile ${id}`);
    super.compile(ids);
  }

  override validate(id: string, value: unknown): ValidationResult {
    this.events.push(`validate ${id}`);
    return super.validate(id, value);
  }
}

const ROOTED_PLUGIN = `export default {
  apiVersion: 1, name: 'rooted', aliases: [], priority: 1, description: 'test plugin found from the project root', needsBundle: false,
  async init() {},
  async createSession() { throw new Error('not used'); },
};
`;

describe('kernel start-up', () => {
  it('compiles the manifest and run-summary schemas before any inference (no lazy compile inside a time budget)', async () => {
    const dir = tempDir();
    const events: string[] = [];
    const registry = createDefaultRegistry();
    registry.register(scriptedPlugin({ script: () => (events.push('infer'), prefer(MODEL_PICK, 10)) }));
    const config = kernelConfig(
      dir,
      scriptedPlannerYaml() + runnerYaml(writeRunnerScript(dir)).replace('kernel:\n', 'kernel:\n  concurrency: 2\n'),
    );
    expect(config.kernel.concurrency).toBe(2);
    await runKernel(config, [issue('A'), issue('B')], { registry, schemas: new RecordingSchemas(events) });
    const firstInfer = events.indexOf('infer');
    expect(firstInfer).toBeGreaterThanOrEqual(0);
    for (const id of [MANIFEST_SCHEMA_ID, RUN_SUMMARY_SCHEMA_ID]) {
      // compiled explicitly, or by a first validation (ajv compiles on first use)
      const first = events.findIndex((e) => e === `compile ${id}` || e === `validate ${id}`);
      expect(first, id).toBeGreaterThanOrEqual(0);
      expect(first, id).toBeLessThan(firstInfer);
    }
  });

  it('refuses a config without a runner command (no fake successes), before running anything', async () => {
    const dir = tempDir();
    const config = kernelConfig(dir, 'kernel:\n  workcells: wc\n');
    expect(config.kernel.runner.command).toEqual([]);
    await expect(runKernel(config, [issue('A')], { registry: createDefaultRegistry() })).rejects.toMatchObject({
      code: 'CONFIG_INVALID',
      context: { keyPath: 'kernel.runner.command' },
    });
  });

  it('resolves plugin paths against the project root, not the config file directory', async () => {
    const root = tempDir();
    writeFileSync(join(root, 'rooted-plugin.mjs'), ROOTED_PLUGIN);
    mkdirSync(join(root, 'cfg'));
    const config = kernelConfig(
      join(root, 'cfg'),
      `root: ..\nplanner:\n  plugins: ["./rooted-plugin.mjs"]\n${runnerYaml(writeRunnerScript(root))}`,
    );
    expect(config.root).toBe(root);
    const registry = createDefaultRegistry();
    const report = await runKernel(config, [issue('A')], { registry });
    expect(report.issues.map((r) => r.outcome)).toEqual(['success']);
    expect(registry.get('rooted')).toBeDefined();
  });

  it('a configured plugin that cannot load is a config error at its entry', async () => {
    const dir = tempDir();
    const config = kernelConfig(
      dir,
      `planner:\n  plugins:\n    - ./no-such-plugin.mjs\n${runnerYaml(writeRunnerScript(dir))}`,
    );
    await expect(runKernel(config, [issue('A')], { registry: createDefaultRegistry() })).rejects.toMatchObject({
      code: 'CONFIG_INVALID',
      context: { file: join(dir, 'config.yaml'), keyPath: 'planner.plugins.0', line: 3, col: 7 },
      cause: { code: 'PLUGIN_LOAD_FAILED' },
    });
  });

  it('positions come from the document parsed at load: the file is not read again', async () => {
    const dir = tempDir();
    const config = kernelConfig(
      dir,
      `planner:\n  plugins:\n    - ./no-such-plugin.mjs\n${runnerYaml(writeRunnerScript(dir))}`,
    );
    writeFileSync(join(dir, 'config.yaml'), '\n\n\n\n\nplanner:\n  plugins: [x]\n'); // a later edit moves every key
    await expect(runKernel(config, [issue('A')], { registry: createDefaultRegistry() })).rejects.toMatchObject({
      code: 'CONFIG_INVALID',
      context: { keyPath: 'planner.plugins.0', line: 3, col: 7 },
    });
  });
});
