/**
 * The Redis queue backend against a real redis-server (never mocked): idempotent enqueueing with P0 first, status
 * counts, the shared history (bounded per key, one entry per run_id), and an in-process worker: runner failures
 * complete, infrastructure failures retry with the attempt number in the manifest and a clean workcell, and give up
 * after kernel.queue.attempts.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import { resolveKernelConfig } from '../../core/kernel/resolve-config.js';
import { enqueueIssues, openQueue, queueStatus, type IssueQueue } from '../../core/kernel/queue/issue-queue.js';
import { queueTargetOf, type QueueTarget } from '../../core/kernel/queue/queue-target.js';
import { createDefaultRegistry } from '../../plugins/index.js';
import { startQueueWorker, type QueueWorker } from '../../core/kernel/queue/queue-worker.js';
import { RedisHistory } from '../../core/kernel/queue/redis-history.js';
import { SchemaRegistry } from '../../core/schemas.js';
import { silentLogger } from '../../core/logger.js';
import type { RunSummary } from '../../core/planner-input-types.js';
import { RedisServer, redisServerBinary, warnNoRedis } from '../support/redis-server.js';

const HAVE_REDIS = redisServerBinary() !== null;
if (!HAVE_REDIS) warnNoRedis('test/kernel/queue-redis.test.ts');
const ROOT = resolve(import.meta.dirname, '../..');

describe.skipIf(!HAVE_REDIS)('queue backend on a real Redis', () => {
  let server: RedisServer;
  let dir: string;
  let n = 0;
  const cleanups: (() => Promise<void>)[] = [];
  beforeAll(async () => {
    server = await RedisServer.start();
  });
  afterAll(async () => {
    await server?.stop();
  });
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  function target(extra: Record<string, unknown> = {}): QueueTarget {
    dir = mkdtempSync(join(tmpdir(), 'cyntra-queue-'));
    const runner = join(dir, 'runner.sh');
    writeFileSync(runner, 'case "$CYNTRA_ISSUE_ID" in *fail*) exit 1;; *slow*) exec sleep 30;; esac\nexit 0\n');
    const raw = {
      planner: { enabled: false },
      kernel: {
        workcells: join(dir, 'wc'),
        concurrency: 2,
        universe_id: 'u',
        runner: { command: ['sh', runner], time_scale: 0.001 },
        queue: { name: `t${++n}`, lock_ms: 1000, attempts: 2, ...extra },
      },
    };
    return queueTargetOf(resolveKernelConfig(raw, null, ROOT), server.url)!;
  }

  function queueOf(t: QueueTarget): IssueQueue {
    const q = openQueue(t.target, t.config.kernel.queue);
    cleanups.push(() => q.obliterate({ force: true }).then(() => q.close()));
    return q;
  }

  it('enqueues idempotently, P0 first, and reports counts and the oldest waiting issue', async () => {
    const t = target();
    const q = queueOf(t);
    const issues = [{ id: 'low', dk_priority: 'P3' }, { id: 'top', dk_priority: 'P0' }, { id: 'mid' }];
    await enqueueIssues(q, issues.slice(0, 1), t.config.kernel.queue);
    await new Promise((r) => setTimeout(r, 20));
    await enqueueIssues(q, issues, t.config.kernel.queue);
    await enqueueIssues(q, issues, t.config.kernel.queue);
    const status = await queueStatus(q);
    expect(status).toMatchObject({ waiting: 3, active: 0, completed: 0, failed: 0 });
    expect(status.oldestWaiting?.issueId).toBe('low');
    const order = (await q.getJobs(['prioritized'], 0, -1, true))
      .sort((a, b) => (a.priority ?? 0) - (b.priority ?? 0))
      .map((j) => j.id);
    expect(order).toEqual(['top', 'mid', 'low']);
  });

  it('keeps the shared history bounded per key and one entry per run_id', async () => {
    const client = new Redis(server.port, '127.0.0.1');
    cleanups.push(async () => void client.disconnect());
    const h = new RedisHistory(client, {
      queueName: `h${++n}`,
      universeId: 'u',
      limit: 3,
      logger: silentLogger,
      schemas: new SchemaRegistry(),
    });
    const summary = (i: number, jobType = 'code'): RunSummary => ({
      run_id: `r${i}`,
      started_ms: 1000 + i,
      job_type: jobType,
      domain: 'code',
      action_executed: { swarm_id: 'serial_handoff', max_candidates: 1, max_minutes: 15, max_iterations: null },
      outcome: { status: 'success', fail_codes: [], gates: [] },
      runtime: { duration_ms: 5 },
      tags: [],
      issue_id: `i${i}`,
    });
    for (let i = 0; i < 5; i++) await h.push(summary(i));
    await h.push(summary(4));
    await h.push(summary(9, 'fab-world'));
    expect((await h.read('code')).map((s) => s.run_id).sort()).toEqual(['r2', 'r3', 'r4']);
    expect((await h.read('fab-world')).map((s) => s.run_id)).toEqual(['r9']);
  });

  it('runner failure completes; infrastructure failure retries with a clean workcell, then fails for good', async () => {
    const t = target();
    const q = queueOf(t);
    const writes = new Map<string, number>();
    let worker: QueueWorker | null = null;
    cleanups.push(async () => void (await worker?.close()));
    const hooks = {
      beforeRename: (temp: string) => {
        const id = temp.split('/').at(-2) ?? '';
        if (!temp.includes('manifest.json')) return;
        writes.set(id, (writes.get(id) ?? 0) + 1);
        // "flaky": its first dispatched manifest write fails once; "broken": every one fails.
        if ((id === 'flaky' && writes.get(id) === 1) || id === 'broken') throw new Error(`disk said no for ${id}`);
      },
    };
    await enqueueIssues(
      q,
      [{ id: 'ok' }, { id: 'will-fail' }, { id: 'flaky' }, { id: 'broken' }],
      t.config.kernel.queue,
    );
    worker = await startQueueWorker(t.config, t.target, {
      writeHooks: hooks,
      workerId: 'w1',
      registry: createDefaultRegistry(),
    });
    for (
      let i = 0;
      i < 200 && (await q.getJobCounts('completed', 'failed')).completed + (await q.getJobCounts('failed')).failed < 4;
      i++
    )
      await new Promise((r) => setTimeout(r, 100));
    expect(await q.getJobCounts('completed', 'failed')).toMatchObject({ completed: 3, failed: 1 });
    const manifest = (id: string) =>
      JSON.parse(readFileSync(join(t.config.kernel.workcells, id, 'manifest.json'), 'utf8'));
    expect(manifest('ok')).toMatchObject({
      status: 'finished',
      run: { status: 'success' },
      queue: { attempt: 1, worker: 'w1', job_id: 'ok' },
    });
    expect(manifest('will-fail')).toMatchObject({
      status: 'finished',
      run: { status: 'failed' },
      queue: { attempt: 1 },
    });
    expect(manifest('flaky')).toMatchObject({ status: 'finished', queue: { attempt: 2 } });
    expect(existsSync(join(t.config.kernel.workcells, 'broken', 'run-summary.json'))).toBe(false);
    const broken = await q.getJob('broken');
    expect(broken?.attemptsMade).toBe(2);
  });

  it('close() releases an active issue after shutdown_grace_ms without spending an attempt', async () => {
    const t = target({ shutdown_grace_ms: 200 });
    const q = queueOf(t);
    await enqueueIssues(q, [{ id: 'slow' }], t.config.kernel.queue);
    const worker = await startQueueWorker(t.config, t.target, { workerId: 'w1', registry: createDefaultRegistry() });
    cleanups.push(() => worker.close());
    while ((await q.getJobCounts('active')).active < 1) await new Promise((r) => setTimeout(r, 50));
    while (!existsSync(join(t.config.kernel.workcells, 'slow', 'manifest.json')))
      await new Promise((r) => setTimeout(r, 50));
    await worker.close();
    const job = await q.getJob('slow');
    expect(['wait', 'delayed', 'prioritized']).toContain(await job?.getState());
    expect(job?.attemptsMade).toBe(0);
    const manifest = JSON.parse(readFileSync(join(t.config.kernel.workcells, 'slow', 'manifest.json'), 'utf8'));
    expect(manifest.status).toBe('dispatched');
  });
});
