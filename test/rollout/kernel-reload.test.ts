/**
 * Hot reload inside the kernel (`planner.model.watch: true`): a bundle published mid-queue is swapped in, every
 * manifest's planner_action names the digest of the bundle that produced it, and the reload is recorded in
 * planner-reloads.jsonl and counted in the metrics.
 */
import { readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { WorkcellManifest } from '../../core/kernel/dispatcher.js';
import { runKernel } from '../../core/kernel/kernel.js';
import { PlannerMetrics } from '../../core/rollout/planner-metrics.js';
import { RELOAD_LOG } from '../../core/rollout/start-rollout.js';
import {
  issue,
  kernelConfig,
  runnerYaml,
  scriptedRegistry,
  tempDir,
  writeRunnerScript,
} from '../kernel/kernel-helpers.js';
import { makeScriptedBundle } from '../support/scripted-plugin.js';
import { parseExposition, valueOf } from './exposition.js';

const cleanup: string[] = [];
afterEach(() => {
  for (const d of cleanup.splice(0)) rmSync(d, { recursive: true, force: true });
});

const meta = (v: string) =>
  JSON.stringify({ schema_version: 'cyntra.model_bundle.v1', model_name: 'scripted_planner', model_version: v });

describe('kernel hot reload', () => {
  it('a bundle published during the queue is served from the next issue on, and each record names its digest', async () => {
    const dir = tempDir('cyntra-kernel-reload-');
    const bundle = makeScriptedBundle({ 'metadata.json': meta('v1') });
    cleanup.push(dir, bundle);
    const yaml = `planner:
  model: { path: ${bundle}, type: scripted, watch: true, watch_debounce_ms: 20 }
  flags:
    enabled_job_types: ["code", "fab-world"]
${runnerYaml(writeRunnerScript(dir), { SLEEP_MS: '150' }, '  concurrency: 1\n')}`;
    const config = kernelConfig(dir, yaml);
    const metrics = new PlannerMetrics();
    const issues = Array.from({ length: 8 }, (_, i) => issue(`R-${i}`));
    let published = false;
    await runKernel(config, issues, {
      registry: scriptedRegistry(),
      rollout: { metrics },
      onIssue: (r) => {
        if (r.issueId !== 'R-1' || published) return;
        published = true;
        writeFileSync(join(bundle, 'scripted.json'), '{"v": 2}');
        writeFileSync(join(bundle, 'metadata.json.tmp'), meta('v2'));
        renameSync(join(bundle, 'metadata.json.tmp'), join(bundle, 'metadata.json'));
      },
    });
    const reloads = readFileSync(join(dir, 'wc', RELOAD_LOG), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(reloads).toEqual([expect.objectContaining({ trigger: 'watch', result: 'loaded' })]);
    const { previous, digest } = reloads[0];
    const versions = issues.map(
      (i) =>
        (JSON.parse(readFileSync(join(dir, 'wc', i.id, 'manifest.json'), 'utf8')) as WorkcellManifest).planner
          .planner_action!.model.version,
    );
    expect(versions.slice(0, 2)).toEqual([previous, previous]);
    expect(versions.at(-1)).toBe(digest);
    expect(versions.every((v) => v === previous || v === digest)).toBe(true);
    const samples = parseExposition(await metrics.registry.metrics());
    expect(valueOf(samples, 'cyntra_planner_model_reloads_total', { result: 'loaded' })).toBe(1);
    expect(samples.find((s) => s.name === 'cyntra_planner_model_info')?.labels).toMatchObject({
      digest,
      version: 'v2',
    });
  });
});
