#!/usr/bin/env node
/**
 * The demo world as a kernel runner command (`node dist/demo/world/world-runner.js`): a SIMULATION. It reads the
 * kernel's runner contract (CYNTRA_ISSUE_FILE, CYNTRA_CANDIDATE_INDEX, CYNTRA_CANDIDATES, CYNTRA_SWARM_ID,
 * CYNTRA_TIMEOUT_SECONDS, CYNTRA_MAX_ITERATIONS, CYNTRA_TIME_SCALE, CYNTRA_WORKCELL_DIR) and DEMO_WORLD_SEED, writes
 * what the world decided to `<workcell>/candidate-<i>.result.json` before it "works", then sleeps a scaled share of
 * the simulated time and exits 0 (success) or 1 (failure), or sleeps until the kernel kills it (timeout).
 */
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { WORLD_SCHEMA_VERSION, simulateDispatch, type WorldIssue, type WorldPlan } from './world.js';

const MAX_SLEEP_MS = 2_000;

function numEnv(name: string): number | null {
  const v = process.env[name];
  if (v === undefined || v.trim() === '') return null;
  const n = Number(v);
  return Number.isFinite(n) ? n : null;
}

function main(): void {
  const issueFile = process.env.CYNTRA_ISSUE_FILE;
  const issue: WorldIssue = issueFile ? (JSON.parse(readFileSync(issueFile, 'utf8')) as WorldIssue) : { id: process.env.CYNTRA_ISSUE_ID ?? 'unknown' };
  const index = numEnv('CYNTRA_CANDIDATE_INDEX') ?? 0;
  const timeoutS = numEnv('CYNTRA_TIMEOUT_SECONDS');
  const plan: WorldPlan = {
    swarmId: process.env.CYNTRA_SWARM_ID ?? 'serial_handoff',
    candidates: numEnv('CYNTRA_CANDIDATES') ?? 1,
    budgetMinutes: timeoutS === null ? null : timeoutS / 60,
    iterations: numEnv('CYNTRA_MAX_ITERATIONS'),
  };
  const seed = numEnv('DEMO_WORLD_SEED') ?? 1;
  const scale = numEnv('CYNTRA_TIME_SCALE') ?? 1;
  const dispatch = simulateDispatch(issue, plan, seed);
  const own = dispatch.attempts[Math.min(index, dispatch.attempts.length - 1)];
  const result = {
    schema_version: WORLD_SCHEMA_VERSION,
    simulated: true,
    note: 'demo world: a simulation (docs/demo-world.md), not a real agent run',
    seed,
    time_scale: scale,
    outcome: own.outcome,
    duration_ms: Math.round(own.needMinutes * 60_000),
    dispatch: { status: dispatch.status, winner: dispatch.winner, duration_ms: Math.round(dispatch.durationMinutes * 60_000), cost_usd: dispatch.costUsd },
    attempt: own,
  };
  const dir = process.env.CYNTRA_WORKCELL_DIR;
  if (dir) {
    const file = join(dir, `candidate-${index}.result.json`);
    writeFileSync(`${file}.${process.pid}.tmp`, `${JSON.stringify(result, null, 2)}\n`);
    renameSync(`${file}.${process.pid}.tmp`, file);
  }
  console.log(`demo-world (simulation): issue=${issue.id} candidate=${index}/${plan.candidates} swarm=${plan.swarmId} budget_min=${plan.budgetMinutes ?? 'none'} iterations=${plan.iterations ?? 'none'} -> ${own.outcome} after ${own.needMinutes} simulated min (p=${own.pSuccess}); dispatch ${dispatch.status}, $${dispatch.costUsd}`);
  const budgetMs = plan.budgetMinutes === null ? null : plan.budgetMinutes * 60_000 * scale;
  if (own.outcome === 'timeout') {
    setInterval(() => undefined, 60_000); // runs until the kernel's budget timer kills the process group
    return;
  }
  // A finishing attempt sleeps its scaled simulated time, at most half the budget (so it ends before the kernel's
  // timer; process start-up is subtracted) and at most 2 s (so demo queues stay short).
  const cap = Math.min(MAX_SLEEP_MS, budgetMs === null ? MAX_SLEEP_MS : budgetMs / 2);
  const sleepMs = Math.max(0, Math.min(own.needMinutes * 60_000 * scale, cap) - process.uptime() * 1000);
  setTimeout(() => process.exit(own.outcome === 'success' ? 0 : 1), sleepMs);
}

main();
