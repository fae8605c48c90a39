import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { applyCliOverrides } from '../../core/kernel/cli-overrides.js';
import { runKernel } from '../../core/kernel/kernel.js';
import { readIssues } from '../../core/kernel/issue-source.js';
import { loadKernelConfig } from '../../core/kernel/load-config.js';
import { MANIFEST_SCHEMA_ID } from '../../core/kernel/dispatcher.js';
import { RUN_SUMMARY_SCHEMA_ID } from '../../core/kernel/run-summaries.js';
import { packageRoot } from '../../core/paths.js';
import { SchemaRegistry } from '../../core/schemas.js';
import { tempDir } from './kernel-helpers.js';
import { createDefaultRegistry } from '../../plugins/index.js';

describe('the demo config (what npm start runs)', () => {
  it('loads without warnings, processes every demo issue and writes schema-valid records', async () => {
    const root = packageRoot();
    const loaded = loadKernelConfig({ cwd: root, file: 'fixtures/demo/config.yaml' });
    expect(loaded.warnings).toEqual([]);
    expect(loaded.config.root).toBe(root);
    const workcells = tempDir();
    const config = applyCliOverrides(loaded.config, { workcells }, root);
    const issues = readIssues(config.kernel.issues!);
    expect(issues.length).toBeGreaterThanOrEqual(8);
    const report = await runKernel(config, issues, { registry: createDefaultRegistry() });
    expect(report.issues.map((r) => r.issueId)).toEqual(issues.map((i) => i.id));
    const byId = Object.fromEntries(report.issues.map((r) => [r.issueId, r]));
    expect(byId['DEMO-6'].outcome).toBe('failed');
    expect(byId['DEMO-7'].outcome).toBe('timeout');
    expect(byId['DEMO-1'].outcome).toBe('success');
    const schemas = new SchemaRegistry();
    const dirs = readdirSync(workcells);
    expect(dirs).toHaveLength(issues.length);
    for (const d of dirs) {
      const manifest = JSON.parse(readFileSync(join(workcells, d, 'manifest.json'), 'utf8'));
      expect(schemas.validate(MANIFEST_SCHEMA_ID, manifest).errors).toEqual([]);
      expect(manifest.status).toBe('finished');
      const summary = JSON.parse(readFileSync(join(workcells, d, 'run-summary.json'), 'utf8'));
      expect(schemas.validate(RUN_SUMMARY_SCHEMA_ID, summary).errors).toEqual([]);
      // the demo runner is the simulated demo world (docs/demo-world.md), and says so
      expect(readFileSync(join(workcells, d, 'candidate-0.log'), 'utf8')).toMatch(/^demo-world \(simulation\):/);
      expect(JSON.parse(readFileSync(join(workcells, d, 'candidate-0.result.json'), 'utf8'))).toMatchObject({
        simulated: true,
      });
    }
  }, 60_000);
});
