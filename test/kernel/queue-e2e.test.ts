/**
 * End to end on a real redis-server with real worker processes (`cyntra-planner worker`, from dist/):
 * 3 workers × concurrency 2 on 200 demo issues (the demo fake runner), one worker killed with SIGKILL every 3 s
 * (3 kills) and replaced. Afterwards every issue finished exactly once (one workcell and one run summary each, the
 * set equal to Redis's completed set, one shared history entry each), every JSON file parses, and manifests show
 * history finished by other workers. A second test stops and restarts redis-server mid-run: the run completes.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import { resolveKernelConfig } from '../../core/kernel/resolve-config.js';
import { enqueueIssues, openQueue, type IssueQueue } from '../../core/kernel/queue/issue-queue.js';
import { queueTargetOf } from '../../core/kernel/queue/queue-target.js';
import { RedisServer, redisServerBinary, warnNoRedis } from '../support/redis-server.js';

const HAVE_REDIS = redisServerBinary() !== null;
if (!HAVE_REDIS) warnNoRedis('test/kernel/queue-e2e.test.ts');
const ROOT = resolve(import.meta.dirname, '../..');
const CLI = join(ROOT, 'dist/core/cli/main.js');

interface Fixture {
  dir: string;
  server: RedisServer;
  workers: ChildProcess[];
  queue: IssueQueue | null;
}

const fixtures: Fixture[] = [];

afterEach(async () => {
  for (const f of fixtures.splice(0)) {
    for (const w of f.workers) if (w.exitCode === null && w.signalCode === null) w.kill('SIGKILL');
    await f.queue?.close().catch(() => {});
    await f.server.stop();
    rmSync(f.dir, { recursive: true, force: true });
  }
});

async function setUp(
  count: number,
  persistent: boolean,
): Promise<Fixture & { configFile: string; workcells: string; ids: string[] }> {
  const server = await RedisServer.start({ persistent });
  const dir = mkdtempSync(join(tmpdir(), 'cyntra-queue-e2e-'));
  const f: Fixture = { dir, server, workers: [], queue: null };
  fixtures.push(f);
  const workcells = join(dir, 'wc');
  const raw = {
    root: ROOT,
    planner: { enabled: false },
    kernel: {
      workcells,
      concurrency: 2,
      universe_id: 'e2e',
      runner: { command: ['node', 'fixtures/demo/fake-runner.mjs'], time_scale: 0.001, kill_grace_ms: 200 },
      queue: { name: 'e2e', lock_ms: 1500, attempts: 5, history_limit: 1000, shutdown_grace_ms: 2000 },
    },
  };
  const configFile = join(dir, 'config.json');
  writeFileSync(configFile, JSON.stringify(raw));
  const t = queueTargetOf(resolveKernelConfig(raw, configFile, dir), server.url)!;
  f.queue = openQueue(t.target, t.config.kernel.queue);
  f.queue.on('error', () => {}); // reconnects; the restart test stops the server on purpose
  const issues = Array.from({ length: count }, (_, i) => ({
    id: `E2E-${i}`,
    title: `issue ${i}`,
    dk_priority: ['P0', 'P1', 'P2', 'P3'][i % 4],
    dk_size: 'XS',
    dk_risk: 'low',
    tags: [`area:${i % 5}`, ...(i % 17 === 0 ? ['demo:fails'] : [])],
  }));
  await enqueueIssues(f.queue, issues, t.config.kernel.queue);
  return { ...f, configFile, workcells, ids: issues.map((i) => i.id) };
}

function startWorker(f: Fixture & { configFile: string }): ChildProcess {
  const child = spawn(process.execPath, [CLI, 'worker', '--config', f.configFile, '--queue', f.server.url], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let err = '';
  child.stderr?.on('data', (d: Buffer) => (err = (err + d.toString()).slice(-2000)));
  child.once('exit', (code) => {
    if (code !== 0 && code !== null) process.stderr.write(`worker ${child.pid} exited ${code}: ${err}\n`);
  });
  f.workers.push(child);
  return child;
}

async function waitDone(queue: IssueQueue, total: number, tick?: () => void): Promise<void> {
  for (;;) {
    const c = await queue.getJobCounts('completed', 'failed');
    if (c.completed + c.failed >= total) return;
    tick?.();
    await new Promise((r) => setTimeout(r, 250));
  }
}

async function stopAll(workers: readonly ChildProcess[]): Promise<void> {
  await Promise.all(
    workers
      .filter((w) => w.exitCode === null && w.signalCode === null)
      .map((w) => new Promise((r) => (w.once('exit', r), w.kill('SIGTERM')))),
  );
}

/** Parses every *.json file under dir (throws on a truncated one); returns the workcell records. */
function readWorkcells(dir: string): { manifests: Map<string, Record<string, any>>; summaries: number } {
  const manifests = new Map<string, Record<string, any>>();
  let summaries = 0;
  for (const cell of readdirSync(dir)) {
    for (const file of readdirSync(join(dir, cell)).filter((n) => n.endsWith('.json'))) {
      const value = JSON.parse(readFileSync(join(dir, cell, file), 'utf8'));
      if (file === 'manifest.json') manifests.set(value.issue_id, value);
      if (file === 'run-summary.json') summaries++;
    }
  }
  return { manifests, summaries };
}

describe.skipIf(!HAVE_REDIS)('queue end to end with worker processes', () => {
  it('3 workers × 2, kill -9 one every 3 s: every issue finishes exactly once', async () => {
    const f = await setUp(200, false);
    for (let i = 0; i < 3; i++) startWorker(f);
    let kills = 0;
    let lastKill = Date.now();
    await waitDone(f.queue!, f.ids.length, () => {
      if (kills >= 3 || Date.now() - lastKill < 3000) return;
      const live = f.workers.filter((w) => w.exitCode === null && w.signalCode === null);
      live[kills % live.length].kill('SIGKILL');
      kills++;
      lastKill = Date.now();
      startWorker(f);
    });
    await stopAll(f.workers);
    const counts = await f.queue!.getJobCounts('completed', 'failed', 'active', 'wait', 'prioritized');
    expect(counts).toMatchObject({ completed: f.ids.length, failed: 0, active: 0 });
    const completed = (await f.queue!.getJobs(['completed'], 0, -1)).map((j) => j.id).sort();
    expect(completed).toEqual([...f.ids].sort());
    const { manifests, summaries } = readWorkcells(f.workcells);
    expect([...manifests.keys()].sort()).toEqual([...f.ids].sort());
    expect(summaries).toBe(f.ids.length);
    for (const m of manifests.values()) expect(m.status).toBe('finished');
    expect(kills).toBe(3);
    // Killed mid-issue: the issue was redone by another worker as attempt 2+ (each worker has 2 busy slots nearly
    // always, so 3 kills all landing on an idle worker does not happen in practice).
    expect([...manifests.values()].filter((m) => m.queue.attempt >= 2).length).toBeGreaterThan(0);
    // One shared history entry per issue, across both job-type keys.
    const redis = new Redis(f.server.port, '127.0.0.1');
    const keys = await redis.keys('cyntra:e2e:history:*:data');
    const entries = (await Promise.all(keys.map((k) => redis.hlen(k)))).reduce((a, b) => a + b, 0);
    redis.disconnect();
    expect(entries).toBe(f.ids.length);
    // History visible across workers: some plan saw a run finished by another worker process.
    const crossed = [...manifests.values()].filter((m) =>
      (m.planner.planner_input.history.last_n_similar_runs as { issue_id: string }[]).some(
        (r) => manifests.get(r.issue_id)?.queue.worker !== m.queue.worker,
      ),
    );
    expect(crossed.length).toBeGreaterThan(0);
  }, 90_000);

  it('redis-server stopped and restarted mid-run: the run completes', async () => {
    const f = await setUp(40, true);
    startWorker(f);
    startWorker(f);
    // Stop Redis once the workers are working (a worker that cannot reach Redis at start exits 1 by design).
    while ((await f.queue!.getJobCounts('completed')).completed < 6) await new Promise((r) => setTimeout(r, 100));
    await f.server.stopProcess();
    await new Promise((r) => setTimeout(r, 1500));
    await f.server.startProcess();
    await waitDone(f.queue!, f.ids.length);
    await stopAll(f.workers);
    expect(await f.queue!.getJobCounts('completed', 'failed')).toMatchObject({ completed: f.ids.length, failed: 0 });
    const { manifests, summaries } = readWorkcells(f.workcells);
    expect(manifests.size).toBe(f.ids.length);
    expect(summaries).toBe(f.ids.length);
    for (const m of manifests.values()) expect(m.status).toBe('finished');
  }, 60_000);
});
