import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runBestOfK } from '../../core/bench/best-of-k.js';
import { BENCH_REPORT_SCHEMA_ID, BENCH_RESULTS_SCHEMA_ID, type BenchRecord } from '../../core/bench/bench-records.js';
import { parseKernelConfig } from '../../core/kernel/load-config.js';
import { isFinished } from '../../core/kernel/run-summaries.js';
import { MANIFEST_SCHEMA_ID } from '../../core/kernel/dispatcher.js';
import { packageRoot } from '../../core/paths.js';
import { SchemaRegistry } from '../../core/schemas.js';

const BIN = join(packageRoot(), 'dist', 'core', 'cli', 'main.js');
const dirs: string[] = [];
const children: ChildProcess[] = [];
afterEach(() => {
  for (const c of children.splice(0)) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** A project dir: a runner that sleeps, then exits 1 for the second candidate of every issue (`…__k1`), else 0. */
function project(sleepMs: number, ids: string[]): { dir: string; config: string; issues: string } {
  const dir = mkdtempSync(join(tmpdir(), 'cyntra-bok-'));
  dirs.push(dir);
  writeFileSync(
    join(dir, 'runner.mjs'),
    [
      "import { basename } from 'node:path';",
      'const wc = basename(process.env.CYNTRA_WORKCELL_DIR);',
      `setTimeout(() => process.exit(wc.endsWith('k1') ? 1 : 0), ${sleepMs});`,
    ].join('\n'),
  );
  const config = join(dir, 'config.yaml');
  writeFileSync(
    config,
    `kernel:\n  universe_id: t\n  runner:\n    command: ["${process.execPath}", "runner.mjs"]\n    time_scale: 0.01\n    kill_grace_ms: 100\n`,
  );
  const issues = join(dir, 'issues.jsonl');
  const lines = ids.map((id) => JSON.stringify({ id, title: `Issue ${id}`, dk_size: 'S', tags: [] }));
  writeFileSync(
    issues,
    [...lines, JSON.stringify({ id: 'W-1', title: 'World', tags: ['asset:world'] })].join('\n') + '\n',
  );
  return { dir, config, issues };
}

describe('best-of-k', () => {
  it('runs K distinct candidates per code issue as workcells and writes schema-valid §13.2 files', async () => {
    const p = project(0, ['I-1', 'I-2']);
    const config = parseKernelConfig(readFileSync(p.config, 'utf8'), p.config, p.dir).config;
    const out = join(p.dir, 'bench');
    const { readIssues } = await import('../../core/kernel/issue-source.js');
    const progress: string[] = [];
    const result = await runBestOfK({
      config,
      issues: readIssues(p.issues),
      outDir: out,
      k: 3,
      seed: 1,
      maxCases: null,
      jobTypes: ['code'],
      concurrency: 2,
      onIssue: (x) => progress.push(x.record.issue_id),
    });
    expect(result.interrupted).toBe(false);
    expect(progress).toEqual(['I-1', 'I-2', 'W-1']);
    const schemas = new SchemaRegistry();
    const records = JSON.parse(readFileSync(join(out, 'results', 'best_of_k.json'), 'utf8'));
    expect(schemas.validate(BENCH_RESULTS_SCHEMA_ID, records).errors).toEqual([]);
    expect(
      schemas.validate(BENCH_REPORT_SCHEMA_ID, JSON.parse(readFileSync(join(out, 'bench_report.json'), 'utf8'))).errors,
    ).toEqual([]);
    expect(records[2]).toMatchObject({ issue_id: 'W-1', skipped: true });
    const first = records[0] as BenchRecord;
    expect(first.candidates.map((c) => c.status)).toEqual(['success', 'failed', 'success']);
    expect(first.candidates[0].action).toEqual(['serial_handoff', 1, 'NA', 'NA']);
    expect(first.winner?.verified).toBe(true);
    for (const c of first.candidates) {
      const manifest = JSON.parse(readFileSync(join(out, 'workcells', c.workcell_id, 'manifest.json'), 'utf8'));
      expect(schemas.validate(MANIFEST_SCHEMA_ID, manifest).errors).toEqual([]);
      expect([
        manifest.planner.planner_action.swarm_id,
        manifest.planner.planner_action.budgets.max_candidates_bin,
      ]).toEqual(c.action.slice(0, 2));
    }
    expect(readdirSync(join(out, 'workcells'))).toHaveLength(6);
  });

  it('resumes after kill -9 without running a finished candidate twice or duplicating records', async () => {
    const p = project(60, ['I-1', 'I-2', 'I-3']);
    const out = join(p.dir, 'bench');
    const args = [
      BIN,
      'best-of-k',
      '--config',
      p.config,
      '--issues',
      p.issues,
      '--out',
      out,
      '--k',
      '3',
      '--concurrency',
      '1',
    ];
    const first = spawn(process.execPath, args, { cwd: p.dir, stdio: 'ignore' });
    children.push(first);
    const results = join(out, 'results', 'best_of_k.json');
    const started = Date.now();
    while (!(existsSync(results) && JSON.parse(readFileSync(results, 'utf8')).length >= 1)) {
      if (Date.now() - started > 20_000) throw new Error('the bench wrote no record');
      await new Promise((r) => setTimeout(r, 20));
    }
    first.kill('SIGKILL');
    await new Promise((r) => first.once('close', r));
    const wcDir = join(out, 'workcells');
    const finishedBefore = readdirSync(wcDir).filter((d) => isFinished(join(wcDir, d, 'manifest.json')));
    expect(finishedBefore.length).toBeGreaterThanOrEqual(3);
    const before = new Map(finishedBefore.map((wc) => [wc, readFileSync(join(wcDir, wc, 'manifest.json'), 'utf8')]));
    const beforeSummaries = new Map(
      finishedBefore.map((wc) => [wc, readFileSync(join(wcDir, wc, 'run-summary.json'), 'utf8')]),
    );
    const second = spawn(process.execPath, args, { cwd: p.dir, stdio: ['ignore', 'pipe', 'pipe'] });
    children.push(second);
    let stdout = '';
    second.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
    const code = await new Promise((r) => second.once('close', r));
    expect(code).toBe(0);
    expect(stdout).toMatch(/\[1\/4\] I-1 code: already benched \(resumed\)/);
    const records = JSON.parse(readFileSync(results, 'utf8')) as BenchRecord[];
    expect(records.map((r) => r.issue_id)).toEqual(['I-1', 'I-2', 'I-3', 'W-1']);
    for (const r of records.slice(0, 3))
      expect(new Set(r.candidates.map((c) => JSON.stringify(c.action))).size).toBe(3);
    // a finished candidate is never run again: its manifest and run summary are byte-identical after the resume
    for (const wc of finishedBefore) {
      expect(readFileSync(join(wcDir, wc, 'manifest.json'), 'utf8'), wc).toBe(before.get(wc));
      expect(readFileSync(join(wcDir, wc, 'run-summary.json'), 'utf8'), wc).toBe(beforeSummaries.get(wc));
    }
    expect(readdirSync(wcDir).sort()).toEqual(
      ['I-1', 'I-2', 'I-3'].flatMap((i) => [0, 1, 2].map((n) => `${i}__k${n}`)).sort(),
    );
    const again = spawn(process.execPath, [...args.slice(0, -4), '--k', '4'], { cwd: p.dir, stdio: 'ignore' });
    children.push(again);
    expect(await new Promise((r) => again.once('close', r))).toBe(2);
  }, 60_000);
});

describe('best-of-k command usage', () => {
  it('--help tells the options; bad values are USAGE errors', async () => {
    const { bestOfKCommand } = await import('../../core/cli/commands/best-of-k.js');
    let stdout = '';
    const io = {
      stdout: (t: string) => void (stdout += t),
      stderr: () => undefined,
      cwd: tmpdir(),
      env: {},
      isTTY: false,
      logger: undefined as never,
    };
    expect(await bestOfKCommand.run(['--help'], io)).toBe(0);
    for (const flag of ['--out', '--k', '--seed', '--max-cases', '--job-types', '--concurrency', '--time-scale'])
      expect(stdout).toContain(flag);
    await expect(bestOfKCommand.run([], io)).rejects.toMatchObject({ code: 'USAGE' });
    await expect(bestOfKCommand.run(['--out', 'x', '--k', '0'], io)).rejects.toMatchObject({ code: 'USAGE' });
    await expect(bestOfKCommand.run(['--out', 'x', '--seed', '1.5'], io)).rejects.toMatchObject({ code: 'USAGE' });
  });
});
