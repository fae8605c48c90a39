import { describe, expect, it } from 'vitest';
import { applyCliOverrides } from '../../core/kernel/cli-overrides.js';
import { executedPlanOf } from '../../core/kernel/dispatcher.js';
import type { KernelConfig } from '../../core/kernel/kernel-config-types.js';
import { inRollout, rolloutBucket } from '../../core/kernel/rollout.js';
import { Scheduler } from '../../core/kernel/scheduler.js';
import type { Issue, RunSummary } from '../../core/planner-input-types.js';
import { SchemaIds, SchemaRegistry } from '../../core/schemas.js';
import { issue, kernelConfig, plannerFor, scriptedPlannerYaml, tempDir } from './kernel-helpers.js';

const NOW = Date.UTC(2026, 0, 15, 9, 30);

async function schedulerFor(config: KernelConfig, opts: { strength?: number; history?: RunSummary[] } = {}) {
  const planner = await plannerFor(config, opts.strength);
  return new Scheduler({
    config,
    planner,
    history: () => opts.history ?? [],
    load: () => ({ activeWorkcells: 3, queueDepth: 7 }),
    now: () => NOW,
  });
}

const schemas = new SchemaRegistry();

describe('scheduler', () => {
  it('uses a confident model prediction as is (enabled mode)', async () => {
    const s = await schedulerFor(kernelConfig(tempDir(), scriptedPlannerYaml()));
    const plan = (await s.planIssue(issue('A')))!;
    expect(plan.backend).toBe('scripted');
    expect(plan.action).toMatchObject({
      swarm_id: 'speculate_vote',
      max_candidates_bin: 3,
      max_minutes_bin: 60,
      abstain_to_default: false,
      reason: null,
    });
    expect(plan.record!.abstain_to_default).toBe(false);
    expect(schemas.validate(SchemaIds.plannerAction, plan.record).errors).toEqual([]);
    expect(schemas.validate(SchemaIds.plannerInput, plan.input).errors).toEqual([]);
    expect(plan.input.system_state).toMatchObject({
      active_workcells_bin: '3_5',
      queue_depth_bin: '6_plus',
      hour_bucket: '09',
    });
    expect(executedPlanOf(plan, s['deps'].config)).toMatchObject({
      swarm_id_executed: 'speculate_vote',
      max_candidates_executed: 3,
      timeout_seconds_executed: 3600,
      max_iterations_executed: null,
      fallback_applied: false,
      fallback_reason: null,
    });
  });

  it('shadow mode: the heuristic runs, the model prediction is recorded with abstain_to_default and shadow_mode', async () => {
    const config = applyCliOverrides(kernelConfig(tempDir(), scriptedPlannerYaml()), { plannerMode: 'shadow' }, '/');
    const s = await schedulerFor(config);
    const plan = (await s.planIssue(issue('A', { dk_risk: 'low', dk_size: 'S' })))!;
    expect(plan.mode).toBe('shadow');
    expect(plan.record).toMatchObject({ swarm_id: 'speculate_vote', abstain_to_default: true, reason: 'shadow_mode' });
    expect(plan.record!.budgets.max_candidates_bin).toBe(3);
    expect(Object.keys(plan.record!.probs ?? {}).sort()).toEqual([
      'max_candidates_bin',
      'max_iterations_bin',
      'max_minutes_bin',
      'swarm_id',
    ]);
    expect(schemas.validate(SchemaIds.plannerAction, plan.record).errors).toEqual([]);
    // heuristic for low-risk S: serial_handoff, 1 candidate, 30 minutes
    expect(plan.action).toMatchObject({
      swarm_id: 'serial_handoff',
      max_candidates_bin: 1,
      max_minutes_bin: 30,
      abstain_to_default: true,
    });
    expect(executedPlanOf(plan, config)).toMatchObject({
      swarm_id_executed: 'serial_handoff',
      fallback_applied: true,
      fallback_reason: 'shadow_mode',
      planner_mode: 'shadow',
    });
  });

  it('low confidence falls back to the heuristic and says so in executed_plan', async () => {
    const config = kernelConfig(tempDir(), scriptedPlannerYaml());
    const plan = (await (await schedulerFor(config, { strength: 0 })).planIssue(issue('A')))!;
    expect(plan.action.abstain_to_default).toBe(true);
    expect(plan.action.reason).toMatch(/^low_confidence_/);
    const ep = executedPlanOf(plan, config);
    expect(ep.fallback_applied).toBe(true);
    expect(ep.fallback_reason).toMatch(/^low_confidence_/);
    expect(ep.swarm_id_executed).toBe('serial_handoff');
  });

  it('force_swarm overrides the swarm, keeps the action valid and records it', async () => {
    const config = kernelConfig(tempDir(), scriptedPlannerYaml('    force_swarm: serial_handoff\n'));
    const plan = (await (await schedulerFor(config)).planIssue(issue('A')))!;
    expect(plan.forcedSwarm).toBe('serial_handoff');
    expect(plan.action).toMatchObject({ swarm_id: 'serial_handoff', max_candidates_bin: 1, max_minutes_bin: 60 });
    expect(plan.action.reason).toBe('force_swarm_serial_handoff');
    expect(plan.record!.swarm_id).toBe('speculate_vote'); // what the model said stays recorded
    expect(executedPlanOf(plan, config)).toMatchObject({
      swarm_id_executed: 'serial_handoff',
      max_candidates_executed: 1,
      forced_swarm: 'serial_handoff',
      fallback_reason: 'force_swarm_serial_handoff',
    });
  });

  it("rejects a force_swarm outside the action space, at the flag's file:line:col", async () => {
    const yaml = scriptedPlannerYaml('    force_swarm: tree_of_thought\n');
    const config = kernelConfig(tempDir(), yaml);
    const lines = yaml.split('\n');
    const line = lines.findIndex((l) => l.includes('force_swarm')) + 1;
    const col = lines[line - 1].indexOf('tree_of_thought') + 1;
    await expect(schedulerFor(config)).rejects.toMatchObject({
      code: 'CONFIG_INVALID',
      context: { file: config.file, keyPath: 'planner.flags.force_swarm', line, col },
    });
  });

  it('gates by job type, risk level and enabled flag; gated issues get the heuristic and the gate reason', async () => {
    const dir = tempDir();
    const config = kernelConfig(
      dir,
      scriptedPlannerYaml().replace('["code", "fab-world"]', '["code"]') + '    enabled_risk_levels: ["low"]\n',
    );
    const s = await schedulerFor(config);
    const world: Issue = issue('W', { tags: ['asset:world'] });
    expect(s.gate(world)).toBe('job_type_not_enabled_fab-world');
    expect(await s.planIssue(world)).toBeNull();
    expect(s.gate(issue('H', { dk_risk: 'high' }))).toBe('risk_not_enabled_high');
    expect(s.gate(issue('L', { dk_risk: 'low' }))).toBeNull();
    const gated = await s.plan(issue('H', { dk_risk: 'high', dk_size: 'M' }));
    expect(gated).toMatchObject({ gateReason: 'risk_not_enabled_high', record: null, backend: 'heuristic' });
    expect(gated.action).toMatchObject({ swarm_id: 'speculate_vote', max_candidates_bin: 3, max_minutes_bin: 45 });
    expect(executedPlanOf(gated, config)).toMatchObject({
      fallback_applied: false,
      fallback_reason: 'risk_not_enabled_high',
      max_candidates_executed: 3,
    });
    const off = await schedulerFor(applyCliOverrides(config, { plannerMode: 'disabled' }, dir));
    expect(off.gate(issue('L'))).toBe('planner_disabled');
    expect(await off.planIssue(issue('L'))).toBeNull();
  });

  it('rollout_fraction is sticky by issue id and splits close to the fraction', async () => {
    const ids = Array.from({ length: 2000 }, (_, i) => `ISSUE-${i}`);
    const half = ids.filter((id) => inRollout(id, 0.5));
    expect(half.length).toBeGreaterThan(900);
    expect(half.length).toBeLessThan(1100);
    expect(ids.filter((id) => inRollout(id, 0.5))).toEqual(half); // same answer every time
    for (const id of ids.filter((x) => inRollout(x, 0.2)).slice(0, 50)) expect(inRollout(id, 0.5)).toBe(true); // monotone in the fraction
    expect(rolloutBucket('ISSUE-1')).toBe(rolloutBucket('ISSUE-1'));
    const config = kernelConfig(tempDir(), scriptedPlannerYaml('    rollout_fraction: 0.5\n'));
    const s = await schedulerFor(config);
    for (const id of ids.slice(0, 40)) expect(s.gate(issue(id)) === null).toBe(inRollout(id, 0.5));
    expect(ids.slice(0, 40).some((id) => s.gate(issue(id)) === 'rollout_excluded')).toBe(true);
  });

  it('feeds similar-run history to the planner input', async () => {
    const run = (id: string, ageMs: number, tags: string[], jobType = 'code'): RunSummary => ({
      run_id: id,
      started_ms: NOW - ageMs,
      job_type: jobType,
      domain: 'code',
      action_executed: { swarm_id: 'serial_handoff', max_candidates: 1, max_minutes: 30, max_iterations: null },
      outcome: { status: 'success', fail_codes: [], gates: [] },
      runtime: { duration_ms: 10 },
      tags,
    });
    const history = [
      run('old', 40 * 86_400_000, ['x']),
      run('world', 1000, ['x'], 'fab-world'),
      run('future', -1000, ['x']),
      run('recent', 1000, []),
    ];
    const s = await schedulerFor(kernelConfig(tempDir(), scriptedPlannerYaml()), { history });
    const input = s.input(issue('A', { tags: ['x'] }));
    expect(input.history.last_n_similar_runs.map((r) => r.run_id)).toEqual(['recent', 'old']);
  });
});
