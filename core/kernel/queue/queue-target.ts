/**
 * Which Redis queue a command talks to: `--queue URL` wins over `kernel.queue.url`; a command that needs a queue and
 * has none is bad usage. The config returned has `kernel.queue` set to the redis backend and that URL.
 */
import { ErrorCodes, PlannerError } from '../../errors.js';
import type { KernelConfig } from '../kernel-config-types.js';
import { parseRedisUrl, probeRedis, type RedisTarget } from './redis-connection.js';

export interface QueueTarget {
  readonly config: KernelConfig;
  readonly url: string;
  readonly target: RedisTarget;
}

/** Null when neither `--queue` nor a redis `kernel.queue` is set (the local backend). */
export function queueTargetOf(config: KernelConfig, flag: string | undefined): QueueTarget | null {
  const q = config.kernel.queue;
  if (flag === undefined && q.backend !== 'redis') return null;
  const url = flag ?? q.url;
  if (url === null)
    throw new PlannerError(
      ErrorCodes.CONFIG_INVALID,
      'kernel.queue.backend is redis but kernel.queue.url is not set; set it or pass --queue redis://HOST:PORT/DB',
    );
  const target = parseRedisUrl(url, flag !== undefined ? '--queue' : 'kernel.queue.url');
  return { config: { ...config, kernel: { ...config.kernel, queue: { ...q, backend: 'redis', url } } }, url, target };
}

/** Like `queueTargetOf`, but a queue is required (`worker`, `queue status`). */
export function requireQueueTarget(config: KernelConfig, flag: string | undefined, command: string): QueueTarget {
  const t = queueTargetOf(config, flag);
  if (t === null)
    throw new PlannerError(
      ErrorCodes.USAGE,
      `${command}: no queue; pass --queue redis://HOST:PORT/DB or set kernel.queue.url in the config`,
    );
  return t;
}

/** QUEUE_UNAVAILABLE (exit 1) when Redis does not answer. */
export async function probeQueue(t: QueueTarget): Promise<void> {
  await probeRedis(t.url, t.target);
}
