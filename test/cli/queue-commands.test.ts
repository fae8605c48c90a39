/**
 * The queue commands through the CLI (dist/): exit codes for an unreachable Redis (1, QUEUE_UNAVAILABLE), a bad
 * URL or no queue (2), and `run --queue` then `queue status` against a real redis-server: re-running adds nothing.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisServer, freePort, redisServerBinary, warnNoRedis } from '../support/redis-server.js';

const ROOT = resolve(import.meta.dirname, '../..');
const BIN = join(ROOT, 'dist/core/cli/main.js');
const HAVE_REDIS = redisServerBinary() !== null;
if (!HAVE_REDIS) warnNoRedis('test/cli/queue-commands.test.ts');

function cli(args: string[]) {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', cwd: ROOT });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('queue commands: usage and unreachable Redis', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'cyntra-queue-cli-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('exits 1 with QUEUE_UNAVAILABLE when Redis does not answer', async () => {
    const url = `redis://127.0.0.1:${await freePort()}/0`;
    for (const args of [
      ['queue', 'status', '--queue', url],
      ['worker', '--queue', url, '--config', 'fixtures/demo/config.yaml'],
      ['run', '--config', 'fixtures/demo/config.yaml', '--workcells', join(dir, 'wc'), '--queue', url],
    ]) {
      const r = cli(args);
      expect(r.code, args.join(' ')).toBe(1);
      expect(r.stderr).toContain('QUEUE_UNAVAILABLE');
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
    }
  });

  it('exits 2 for a bad URL, no queue, or a bad subcommand', () => {
    expect(cli(['queue', 'status', '--queue', 'http://x:1/0']).code).toBe(2);
    expect(cli(['worker', '--config', 'fixtures/demo/config.yaml']).code).toBe(2);
    expect(cli(['queue', 'purge', '--queue', 'redis://127.0.0.1:1/0']).code).toBe(2);
    expect(cli(['worker', '--queue', 'redis://127.0.0.1:1/0', '--concurrency', '1.5']).code).toBe(2);
  });
});

describe.skipIf(!HAVE_REDIS)('run --queue and queue status on a real Redis', () => {
  let server: RedisServer;
  let dir: string;
  beforeAll(async () => {
    server = await RedisServer.start();
    dir = mkdtempSync(join(tmpdir(), 'cyntra-queue-cli-'));
  });
  afterAll(async () => {
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('runs the set, then a re-run adds nothing', () => {
    const issues = join(dir, 'issues.jsonl');
    writeFileSync(
      issues,
      ['A', 'B', 'C'].map((id) => JSON.stringify({ id, dk_size: 'XS', dk_priority: 'P1' })).join('\n'),
    );
    const args = [
      'run',
      '--config',
      'fixtures/demo/config.yaml',
      '--planner-mode',
      'disabled',
      '--issues',
      issues,
      '--workcells',
      join(dir, 'wc'),
      '--queue',
      server.url,
    ];
    const first = cli(args);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toContain('3/3 issues done (0 failed for good), 3 run by this process');
    const second = cli(args);
    expect(second.code, second.stderr).toBe(0);
    expect(second.stdout).toContain('3/3 issues done (0 failed for good), 0 run by this process');
    const status = cli(['queue', 'status', '--queue', server.url, '--json']);
    expect(status.code, status.stderr).toBe(0);
    expect(JSON.parse(status.stdout)).toMatchObject({
      waiting: 0,
      active: 0,
      completed: 3,
      failed: 0,
      oldestWaiting: null,
    });
  });
});
