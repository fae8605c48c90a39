import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MANIFEST_SCHEMA_ID } from '../../core/kernel/dispatcher.js';
import { runKernel } from '../../core/kernel/kernel.js';
import { RUN_SUMMARY_SCHEMA_ID, readRunSummaries } from '../../core/kernel/run-summaries.js';
import { workcellPaths } from '../../core/kernel/workcell-paths.js';
import { createMemoryLogger, silentLogger } from '../../core/logger.js';
import { SchemaIds, SchemaRegistry } from '../../core/schemas.js';
import {
  issue,
  kernelConfig,
  runnerYaml,
  scriptedPlannerYaml,
  scriptedRegistry,
  tempDir,
  writeRunnerScript,
} from './kernel-helpers.js';
import { createDefaultRegistry } from '../../plugins/index.js';

const schemas = new SchemaRegistry();

function readJson(file: string) {
  return JSON.parse(readFileSync(file, 'utf8'));
}

describe('kernel loop', () => {
  it('plans, runs and records every issue; manifests hold planned_action = planner_action and are schema-valid', async () => {
    const dir = tempDir();
    const log = join(dir, 'runs.log');
    const config = kernelConfig(
      dir,
      scriptedPlannerYaml() +
        runnerYaml(writeRunnerScript(dir), { RUN_LOG: log, CODE_0: '1', SLEEP_MS: '300', SLEEP_MS_0: '0' }),
    );
    const issues = [issue('A'), issue('B', { tags: ['asset:world'], dk_size: 'L' }), issue('C', { dk_risk: 'high' })];
    const report = await runKernel(config, issues, { registry: scriptedRegistry() });
    expect(report.backend).toBe('scripted');
    for (const i of issues) {
      const paths = workcellPaths(config.kernel.workcells, i.id);
      const m = readJson(paths.manifest);
      expect(schemas.validate(MANIFEST_SCHEMA_ID, m).errors).toEqual([]);
      expect(schemas.validate(SchemaIds.executedPlan, m.planner.executed_plan).errors).toEqual([]);
      expect(m.planner.planned_action).toEqual(m.planner.planner_action);
      expect(m.planner.planner_action).not.toBeNull();
      expect(m.status).toBe('finished');
      expect(schemas.validate(RUN_SUMMARY_SCHEMA_ID, readJson(paths.runSummary)).errors).toEqual([]);
    }
    // model: speculate_vote with 3 candidates; candidate 0 fails, candidate 1 or 2 wins
    const a = readJson(workcellPaths(config.kernel.workcells, 'A').manifest);
    expect(a.planner.executed_plan).toMatchObject({
      swarm_id_executed: 'speculate_vote',
      max_candidates_executed: 3,
      timeout_seconds_executed: 3600,
    });
    expect(a.planner.timeout_seconds_override).toBe(3600);
    expect(a.run.status).toBe('success');
    expect([1, 2]).toContain(a.run.winner);
    expect(['failed', 'killed']).toContain(a.run.candidates[0].status);
    const summaries = readRunSummaries(config.kernel.workcells, silentLogger);
    expect(summaries.map((s) => s.issue_id).sort()).toEqual(['A', 'B', 'C']);
    expect(summaries.find((s) => s.issue_id === 'B')).toMatchObject({
      job_type: 'fab-world',
      domain: 'fab_world',
      action_executed: { max_minutes: 60 },
    });
    // later issues saw earlier runs as history (concurrency 1, same job type)
    const c = readJson(workcellPaths(config.kernel.workcells, 'C').manifest);
    expect(c.planner.planner_input.history.last_n_similar_runs.map((r: { issue_id: string }) => r.issue_id)).toEqual([
      'A',
    ]);
  });

  it('a restart resumes: finished issues are skipped, an interrupted one is redone, nothing is duplicated', async () => {
    const dir = tempDir();
    const log = join(dir, 'runs.log');
    const config = kernelConfig(dir, runnerYaml(writeRunnerScript(dir), { RUN_LOG: log }));
    const issues = [issue('A'), issue('B'), issue('C')];
    await runKernel(config, issues, { registry: createDefaultRegistry() });
    expect(readFileSync(log, 'utf8').trim().split('\n')).toHaveLength(3);
    // simulate a crash while B was running: its manifest says dispatched
    const b = workcellPaths(config.kernel.workcells, 'B');
    writeFileSync(b.manifest, JSON.stringify({ ...readJson(b.manifest), status: 'dispatched', run: null }));
    expect(
      readRunSummaries(config.kernel.workcells, silentLogger)
        .map((s) => s.issue_id)
        .sort(),
    ).toEqual(['A', 'C']);
    const report = await runKernel(config, [...issues, issue('D')], { registry: createDefaultRegistry() });
    expect(report.issues.map((r) => [r.issueId, r.skipped])).toEqual([
      ['A', true],
      ['B', false],
      ['C', true],
      ['D', false],
    ]);
    const runs = readFileSync(log, 'utf8')
      .trim()
      .split('\n')
      .map((l) => l.split(' ')[0]);
    expect(runs.sort()).toEqual(['A', 'B', 'B', 'C', 'D']);
    expect(readdirSync(config.kernel.workcells).sort()).toEqual(['A', 'B', 'C', 'D']);
    expect(
      readRunSummaries(config.kernel.workcells, silentLogger)
        .map((s) => s.issue_id)
        .sort(),
    ).toEqual(['A', 'B', 'C', 'D']);
    expect(report.issues.every((r) => r.outcome === 'success')).toBe(true);
  });

  it('an interrupted kernel kills its commands, writes nothing final, and the next run redoes the issue', async () => {
    const dir = tempDir();
    const log = join(dir, 'runs.log');
    const script = writeRunnerScript(dir);
    const slow = kernelConfig(dir, runnerYaml(script, { RUN_LOG: log, SLEEP_MS: '60000' }));
    const stop = new AbortController();
    const watcher = setInterval(() => {
      try {
        if (readFileSync(log, 'utf8').includes('A 0')) stop.abort(); // the command has started
      } catch {
        // not yet
      }
    }, 20);
    const first = await runKernel(slow, [issue('A'), issue('B')], {
      registry: createDefaultRegistry(),
      signal: stop.signal,
    }).finally(() => clearInterval(watcher));
    expect(first.interrupted).toBe(true);
    expect(first.issues).toEqual([]);
    const a = workcellPaths(slow.kernel.workcells, 'A');
    expect(readJson(a.manifest).status).toBe('dispatched');
    expect(existsSync(a.runSummary)).toBe(false);
    const fast = kernelConfig(dir, runnerYaml(script, { RUN_LOG: log }));
    const second = await runKernel(fast, [issue('A'), issue('B')], { registry: createDefaultRegistry() });
    expect(second.interrupted).toBe(false);
    expect(second.issues.map((r) => [r.issueId, r.skipped, r.outcome])).toEqual([
      ['A', false, 'success'],
      ['B', false, 'success'],
    ]);
    expect(readRunSummaries(fast.kernel.workcells, silentLogger).map((s) => s.issue_id)).toHaveLength(2);
  });

  it('a crash between writing and renaming the final manifest keeps the dispatched one, and the issue is redone', async () => {
    const dir = tempDir();
    const log = join(dir, 'runs.log');
    const config = kernelConfig(dir, runnerYaml(writeRunnerScript(dir), { RUN_LOG: log }));
    const a = workcellPaths(config.kernel.workcells, 'A');
    const beforeRename = (temp: string): void => {
      if (temp.includes('manifest.json') && readFileSync(temp, 'utf8').includes('"finished"'))
        throw new Error('simulated kill before rename');
    };
    await expect(
      runKernel(config, [issue('A'), issue('B')], { registry: createDefaultRegistry(), writeHooks: { beforeRename } }),
    ).rejects.toMatchObject({ code: 'IO_FAILED' });
    expect(readJson(a.manifest)).toMatchObject({ status: 'dispatched', run: null });
    expect(readRunSummaries(config.kernel.workcells, silentLogger)).toEqual([]); // its summary is not history yet
    const report = await runKernel(config, [issue('A'), issue('B')], { registry: createDefaultRegistry() });
    expect(report.issues.map((r) => [r.issueId, r.skipped, r.outcome])).toEqual([
      ['A', false, 'success'],
      ['B', false, 'success'],
    ]);
    expect(
      readFileSync(log, 'utf8')
        .trim()
        .split('\n')
        .map((l) => l.split(' ')[0]),
    ).toEqual(['A', 'A', 'B']);
  });

  it('records what the model decoded as model_action, also when the gate falls back; null when no model ran', async () => {
    const dir = tempDir();
    const config = kernelConfig(dir, scriptedPlannerYaml() + runnerYaml(writeRunnerScript(dir)));
    // strength 0.3: the model still prefers MODEL_PICK, but below the 0.6 threshold
    const report = await runKernel(config, [issue('A', { dk_size: 'XS' })], { registry: scriptedRegistry(0.3) });
    const m = readJson(workcellPaths(config.kernel.workcells, 'A').manifest);
    expect(schemas.validate(MANIFEST_SCHEMA_ID, m).errors).toEqual([]);
    expect(m.planner.planner_action.reason).toMatch(/^low_confidence_0\.\d{3}$/);
    expect(m.planner.executed_plan.swarm_id_executed).toBe('serial_handoff');
    expect(m.planner.model_action).toMatchObject({
      swarm_id: 'speculate_vote',
      budgets: { max_candidates_bin: 3, max_minutes_bin: 60, max_iterations_bin: 'NA' },
    });
    expect(m.planner.model_action.confidence).toBeLessThan(0.6);
    expect(m.planner.planner_action.reason).toBe(`low_confidence_${m.planner.model_action.confidence.toFixed(3)}`);
    expect(report.issues[0].confidence).toBe(m.planner.model_action.confidence);

    const off = kernelConfig(tempDir(), 'planner:\n  enabled: false\n' + runnerYaml(writeRunnerScript(dir)));
    await runKernel(off, [issue('B')], { registry: createDefaultRegistry() });
    expect(readJson(workcellPaths(off.kernel.workcells, 'B').manifest).planner.model_action).toBeNull();
  });

  it('disabled planner: the heuristic runs, no planned action, executed_plan says why', async () => {
    const dir = tempDir();
    const config = kernelConfig(dir, 'planner:\n  enabled: false\n' + runnerYaml(writeRunnerScript(dir)));
    await runKernel(config, [issue('A', { dk_risk: 'critical', dk_size: 'XL' })], {
      registry: createDefaultRegistry(),
    });
    const m = readJson(workcellPaths(config.kernel.workcells, 'A').manifest);
    expect(schemas.validate(MANIFEST_SCHEMA_ID, m).errors).toEqual([]);
    expect(m.planner).toMatchObject({
      mode: 'disabled',
      backend: 'heuristic',
      planned_action: null,
      planner_action: null,
      gate_reason: 'planner_disabled',
    });
    expect(m.planner.executed_plan).toMatchObject({
      swarm_id_executed: 'speculate_vote',
      max_candidates_executed: 3,
      timeout_seconds_executed: 7200,
      fallback_applied: false,
      fallback_reason: 'planner_disabled',
    });
  });

  it('a missing model bundle falls back to the heuristic with model_unavailable, and safety caps clamp executed budgets', async () => {
    const dir = tempDir();
    const config = kernelConfig(
      dir,
      `planner:\n  model:\n    path: no-such-bundle\n    type: scripted\n  safety:\n    max_candidates_cap: 2\n    max_minutes_cap: 30\n${runnerYaml(writeRunnerScript(dir))}`,
    );
    await runKernel(config, [issue('A', { dk_risk: 'critical', dk_size: 'XL' })], { registry: scriptedRegistry() });
    const m = readJson(workcellPaths(config.kernel.workcells, 'A').manifest);
    expect(m.planner.planner_action.abstain_to_default).toBe(true);
    expect(m.planner.planner_action.reason).toMatch(
      /^model_unavailable;capped_max_candidates_from_3;capped_max_minutes_from_120$/,
    );
    expect(m.planner.executed_plan).toMatchObject({
      max_candidates_executed: 2,
      timeout_seconds_executed: 1800,
      fallback_applied: true,
    });
  });

  it('NA bins use the kernel defaults, clamped by the caps', async () => {
    const dir = tempDir();
    const { executedPlanOf } = await import('../../core/kernel/dispatcher.js');
    const config = kernelConfig(
      dir,
      'planner:\n  safety:\n    max_candidates_cap: 4\nkernel:\n  defaults:\n    candidates: 9\n    minutes: 45\n    iterations: 7\n',
    );
    const action = {
      swarm_id: 'speculate_vote',
      max_candidates_bin: 'NA' as const,
      max_minutes_bin: 'NA' as const,
      max_iterations_bin: 'NA' as const,
      confidence: 0.9,
      abstain_to_default: false,
      reason: null,
      caps_applied: [],
    };
    const plan = {
      issue: issue('A'),
      jobType: 'code',
      input: {} as never,
      mode: 'enabled' as const,
      gateReason: null,
      action,
      record: null,
      backend: 'x',
      forcedSwarm: null,
      trace: null,
    };
    expect(executedPlanOf(plan, config)).toMatchObject({
      max_candidates_executed: 4,
      timeout_seconds_executed: 2700,
      max_iterations_executed: 7,
    });
  });

  it('a corrupt run summary is skipped with a warning naming the file; later runs go on with the valid history', async () => {
    const dir = tempDir();
    const config = kernelConfig(dir, runnerYaml(writeRunnerScript(dir)));
    await runKernel(config, [issue('A'), issue('B')], { registry: createDefaultRegistry() });
    const a = workcellPaths(config.kernel.workcells, 'A');
    writeFileSync(a.runSummary, JSON.stringify({ ...readJson(a.runSummary), tags: 5 }));
    const logger = createMemoryLogger();
    expect(readRunSummaries(config.kernel.workcells, logger).map((s) => s.issue_id)).toEqual(['B']);
    expect(logger.entries.filter((e) => e.level === 'warn').map((e) => e.fields.file)).toEqual([a.runSummary]);
    const report = await runKernel(config, [issue('C')], {
      registry: createDefaultRegistry(),
      logger: createMemoryLogger(),
    });
    expect(report.issues.map((r) => r.outcome)).toEqual(['success']);
    const c = readJson(workcellPaths(config.kernel.workcells, 'C').manifest);
    expect(c.planner.planner_input.history.last_n_similar_runs.map((r: { issue_id: string }) => r.issue_id)).toEqual([
      'B',
    ]);
  });

  it('redoing an unfinished issue removes the temp files a killed kernel left in its workcell', async () => {
    const dir = tempDir();
    const config = kernelConfig(dir, runnerYaml(writeRunnerScript(dir)));
    await runKernel(config, [issue('A'), issue('B')], { registry: createDefaultRegistry() });
    const a = workcellPaths(config.kernel.workcells, 'A');
    writeFileSync(a.manifest, JSON.stringify({ ...readJson(a.manifest), status: 'dispatched', run: null }));
    writeFileSync(join(a.dir, '.manifest.json.4242.7.tmp'), '{"status":"fini');
    writeFileSync(join(a.dir, '.run-summary.json.4242.6.tmp'), '{');
    writeFileSync(join(a.dir, 'notes.tmp'), 'not a temp file of the kernel: left alone');
    const report = await runKernel(config, [issue('A'), issue('B')], { registry: createDefaultRegistry() });
    expect(report.issues.map((r) => [r.issueId, r.skipped])).toEqual([
      ['A', false],
      ['B', true],
    ]);
    expect(readdirSync(a.dir).filter((f) => f.endsWith('.tmp'))).toEqual(['notes.tmp']);
  });
});
