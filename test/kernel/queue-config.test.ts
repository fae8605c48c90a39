/** kernel.queue config, queue URLs and the start-up probe (QUEUE_UNAVAILABLE against a closed port). */
import { describe, expect, it } from 'vitest';
import { ErrorCodes, PlannerError } from '../../core/errors.js';
import { resolveKernelConfig } from '../../core/kernel/resolve-config.js';
import { parseRedisUrl, probeRedis } from '../../core/kernel/queue/redis-connection.js';
import { queueTargetOf } from '../../core/kernel/queue/queue-target.js';
import { jobIdOf, priorityOf } from '../../core/kernel/queue/issue-queue.js';
import { freePort } from '../support/redis-server.js';

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (error) {
    return error instanceof PlannerError ? error.code : 'not a PlannerError';
  }
  return undefined;
}

describe('kernel.queue config', () => {
  it('defaults to the local backend', () => {
    const config = resolveKernelConfig({}, null, '/tmp');
    expect(config.kernel.queue.backend).toBe('local');
    expect(queueTargetOf(config, undefined)).toBeNull();
  });

  it('a url alone selects redis; --queue wins over the file', () => {
    const config = resolveKernelConfig({ kernel: { queue: { url: 'redis://a:1/2', name: 'q1' } } }, null, '/tmp');
    expect(config.kernel.queue.backend).toBe('redis');
    const t = queueTargetOf(config, 'redis://h:7000/3');
    expect(t?.target).toMatchObject({ host: 'h', port: 7000, db: 3 });
    expect(t?.config.kernel.queue).toMatchObject({ backend: 'redis', url: 'redis://h:7000/3', name: 'q1' });
  });

  it('redis backend without a url is a config error', () => {
    const config = resolveKernelConfig({ kernel: { queue: { backend: 'redis' } } }, null, '/tmp');
    expect(codeOf(() => queueTargetOf(config, undefined))).toBe(ErrorCodes.CONFIG_INVALID);
  });

  it('parses and rejects queue URLs', () => {
    expect(parseRedisUrl('redis://u:p%40ss@[::1]:6380/15', 'x')).toMatchObject({
      host: '::1',
      port: 6380,
      db: 15,
      username: 'u',
      password: 'p@ss',
      tls: false,
    });
    expect(parseRedisUrl('rediss://host', 'x')).toMatchObject({ port: 6379, db: 0, tls: true });
    for (const bad of ['http://h:1/0', 'redis://h:1/16', 'redis://h:1/x', 'not a url', 'redis://:1/0']) {
      expect(
        codeOf(() => parseRedisUrl(bad, '--queue')),
        bad,
      ).toBe(ErrorCodes.CONFIG_INVALID);
    }
  });

  it('maps priorities P0 first and keeps job ids one-to-one', () => {
    expect([
      priorityOf({ id: 'a', dk_priority: 'P0' }),
      priorityOf({ id: 'a', dk_priority: 'P3' }),
      priorityOf({ id: 'a', dk_priority: 'bogus' }),
    ]).toEqual([1, 4, 3]);
    const ids = ['A-1', '42', 'a:b', 'issue-42', 'a%3Ab'].map(jobIdOf);
    expect(ids[0]).toBe('A-1');
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id.includes(':') || /^\d+$/.test(id)).toBe(false);
  });

  it('an unreachable Redis is QUEUE_UNAVAILABLE', async () => {
    const port = await freePort();
    const url = `redis://127.0.0.1:${port}/0`;
    await expect(probeRedis(url, parseRedisUrl(url, 'x'), 1000)).rejects.toMatchObject({
      code: ErrorCodes.QUEUE_UNAVAILABLE,
    });
  });
});
