import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runIssue } from '../../core/kernel/runner.js';
import type { ExecutedPlanRecord } from '../../core/records.js';
import { packageRoot } from '../../core/paths.js';
import { simulateDispatch } from '../../fixtures/demo/world/world.js';

const RUNNER = join(packageRoot(), 'dist', 'fixtures', 'demo', 'world', 'world-runner.js');
const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const plan = (candidates: number, seconds: number): ExecutedPlanRecord =>
  ({
    schema_version: 'cyntra.executed_plan.v1',
    swarm_id_executed: 'speculate_vote',
    max_candidates_executed: candidates,
    timeout_seconds_executed: seconds,
    max_iterations_executed: null,
    fallback_applied: false,
    fallback_reason: null,
  }) as ExecutedPlanRecord;

describe('the demo world as the kernel runner (needs `npm run build`)', () => {
  it("gets CYNTRA_TIME_SCALE from the kernel, labels itself simulated, and the kernel sees the world's outcome", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cyntra-world-'));
    dirs.push(dir);
    const issue = { id: 'T-1', title: 'Fix typo in docs', dk_risk: 'low', dk_size: 'XS', tags: ['docs'] };
    writeFileSync(join(dir, 'issue.json'), JSON.stringify(issue));
    const runner = {
      command: [process.execPath, RUNNER],
      shell: false,
      timeScale: 0.002,
      killGraceMs: 200,
      env: { DEMO_WORLD_SEED: '4' },
    };
    const result = await runIssue(runner, {
      issueId: 'T-1',
      plan: plan(2, 3600),
      workcellDir: dir,
      issueFile: join(dir, 'issue.json'),
      cwd: dir,
      logFile: (i) => join(dir, `candidate-${i}.log`),
    });
    const world = simulateDispatch(
      issue,
      { swarmId: 'speculate_vote', candidates: 2, budgetMinutes: 60, iterations: null },
      4,
    );
    expect(result.status).toBe(world.status);
    const file = JSON.parse(readFileSync(join(dir, 'candidate-0.result.json'), 'utf8'));
    expect(file).toMatchObject({
      simulated: true,
      seed: 4,
      time_scale: 0.002,
      dispatch: { status: world.status, cost_usd: world.costUsd },
    });
    expect(readFileSync(join(dir, 'candidate-0.log'), 'utf8')).toMatch(
      /^demo-world \(simulation\): issue=T-1 candidate=0\/2/,
    );
  });
});
