/**
 * Challengers never change the champion: with a challenger that throws, one that returns NaN and one that hangs
 * (process isolation, bounded by its budget), every champion action and executed plan is identical to a run
 * without them, and each challenger's shadow prediction is recorded under planner.challengers[].
 */
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runKernel } from '../../core/kernel/kernel.js';
import type { WorkcellManifest } from '../../core/kernel/dispatcher.js';
import type { ChallengerRecord } from '../../core/kernel/manifest-extras.js';
import { PLUGIN_MODULE } from '../isolation/isolation-support.js';
import {
  MODEL_PICK,
  issue,
  kernelConfig,
  runnerYaml,
  scriptedRegistry,
  tempDir,
  writeRunnerScript,
} from '../kernel/kernel-helpers.js';
import { makeScriptedBundle, prefer, scriptedPlugin } from '../support/scripted-plugin.js';

const NOW = Date.UTC(2026, 10, 1, 12, 0, 0);
const cleanup: string[] = [];
afterEach(() => {
  for (const d of cleanup.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** Fine on the load's warm-up input, hostile on every real issue. */
const hostile = (name: string, logits: () => Record<string, number[]>) =>
  scriptedPlugin({ name, script: (input) => (input.issue.issue_id === 'warmup' ? prefer(MODEL_PICK, 10) : logits()) });

function registry() {
  const r = scriptedRegistry();
  r.register(
    hostile('thrower', () => {
      throw new Error('challenger exploded (simulated)');
    }),
  );
  r.register(
    hostile('nan', () => ({
      swarm: [NaN, 1],
      candidates: [0, 0, 0, 0],
      minutes: [0, 0, 0, 0, 0, 0],
      iterations: [0, 0, 0, 0, 0],
    })),
  );
  return r;
}

function yamlFor(challengers: string): string {
  const bundle = makeScriptedBundle();
  cleanup.push(bundle);
  return `planner:
  model: { path: ${bundle}, type: scripted }
  flags:
    enabled_job_types: ["code", "fab-world"]
${challengers}`;
}

function challengerYaml(): string {
  const b = () => {
    const d = makeScriptedBundle();
    cleanup.push(d);
    return d;
  };
  return `  challengers:
    - { name: thrower, path: ${b()}, type: thrower }
    - { name: nan, path: ${b()}, type: nan }
    - name: hang
      path: ${b()}
      type: blocking
      options: { isolation: process, budget_ms: 100, timeout_ms: 5000, backend_options: { blockMs: 1000 } }
`;
}

async function runOnce(challengers: string) {
  const dir = tempDir('cyntra-challengers-');
  cleanup.push(dir);
  const config = kernelConfig(dir, `${yamlFor(challengers)}${runnerYaml(writeRunnerScript(dir))}`);
  const issues = [issue('block-1'), issue('C-2', { dk_risk: 'high' }), issue('block-3', { dk_size: 'L' })];
  await runKernel(config, issues, { registry: registry(), now: () => NOW, isolation: { plugins: [PLUGIN_MODULE] } });
  return issues.map(
    (i) => JSON.parse(readFileSync(join(dir, 'wc', i.id, 'manifest.json'), 'utf8')) as WorkcellManifest,
  );
}

/** The champion's decision and what ran, without the fields that name the bundle directory. */
function championOf(m: WorkcellManifest) {
  const { model: _model, input_hash: _hash, ...action } = m.planner.planner_action!;
  return { action, executed: m.planner.executed_plan, status: m.status };
}

describe('challengers', () => {
  it('a throwing, a NaN and a hanging challenger leave the champion identical, and are recorded', async () => {
    const without = await runOnce('');
    const withChallengers = await runOnce(challengerYaml());
    expect(withChallengers.map(championOf)).toEqual(without.map(championOf));
    expect(without.every((m) => (m.planner as { challengers?: unknown }).challengers === undefined)).toBe(true);
    for (const m of withChallengers) {
      const recs = (m.planner as unknown as { challengers: ChallengerRecord[] }).challengers;
      expect(recs.map((c) => c.name)).toEqual(['thrower', 'nan', 'hang']);
      expect(recs[0]).toMatchObject({ status: 'error', swarm_id: null, reason: 'inference_error_Error' });
      expect(recs[1]).toMatchObject({ status: 'error', swarm_id: null, reason: 'inference_error_InvalidLogitsError' });
      if (m.issue_id.startsWith('block-'))
        expect(recs[2]).toMatchObject({
          status: 'timeout',
          swarm_id: null,
          reason: expect.stringMatching(/^challenger_(budget_exceeded|busy)$/),
        });
    }
  }, 60_000);

  it('a challenger path that does not exist stops the start with CHALLENGER_NOT_FOUND naming it', async () => {
    const dir = tempDir('cyntra-challengers-');
    cleanup.push(dir);
    const missing = join(dir, 'no-such-bundle');
    const config = kernelConfig(
      dir,
      `${yamlFor(`  challengers:\n    - { name: ghost, path: ${missing} }\n`)}${runnerYaml(writeRunnerScript(dir))}`,
    );
    const failure = await runKernel(config, [issue('X-1')], { registry: registry() }).catch((e: unknown) => e);
    expect(failure).toMatchObject({ code: 'CHALLENGER_NOT_FOUND' });
    expect((failure as Error).message).toContain(missing);
    expect((failure as Error).message).toContain('planner.challengers[0].path (ghost)');
  });
});
