/**
 * Redis connection settings for the queue backend: `redis://[user:pass@]HOST:PORT[/DB]` parsed into ioredis options
 * (a bad URL is a config error, exit 2), reconnection with capped exponential backoff, and a start-up probe that turns
 * an unreachable server into one coded error (QUEUE_UNAVAILABLE, exit 1) instead of endless reconnect attempts.
 */
import { Redis, type RedisOptions } from 'ioredis';
import { ErrorCodes, PlannerError } from '../../errors.js';

export interface RedisTarget {
  readonly host: string;
  readonly port: number;
  readonly db: number;
  readonly username?: string;
  readonly password?: string;
  readonly tls: boolean;
}

/** Parses a queue URL; `where` names the flag or config key in the error. */
export function parseRedisUrl(text: string, where: string): RedisTarget {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw badUrl(text, where, 'it is not a URL');
  }
  if (url.protocol !== 'redis:' && url.protocol !== 'rediss:')
    throw badUrl(text, where, `the scheme is "${url.protocol}"`);
  if (url.hostname === '') throw badUrl(text, where, 'it has no host');
  const port = url.port === '' ? 6379 : Number(url.port);
  const dbText = url.pathname.replace(/^\//, '');
  const db = dbText === '' ? 0 : Number(dbText);
  if (!Number.isInteger(db) || db < 0 || db > 15 || !/^\d*$/.test(dbText))
    throw badUrl(text, where, `the database "${dbText}" is not 0-15`);
  return {
    host: url.hostname.replace(/^\[|\]$/g, ''),
    port,
    db,
    ...(url.username ? { username: decodeURIComponent(url.username) } : {}),
    ...(url.password ? { password: decodeURIComponent(url.password) } : {}),
    tls: url.protocol === 'rediss:',
  };
}

function badUrl(text: string, where: string, why: string): PlannerError {
  return new PlannerError(
    ErrorCodes.CONFIG_INVALID,
    `${where}: "${redact(text)}" is not a queue URL (${why}); use redis://HOST:PORT/DB`,
    {
      context: { keyPath: where },
    },
  );
}

/** The URL without its password, for messages and logs. */
export function redact(text: string): string {
  return text.replace(/\/\/([^:@/]*):[^@/]*@/, '//$1:***@');
}

/**
 * ioredis options: BullMQ workers need `maxRetriesPerRequest: null` (commands wait for the connection to come back
 * rather than fail), and a lost server is retried forever with backoff capped at 5 s.
 */
export function connectionOptions(t: RedisTarget, onRetry?: (attempt: number, delayMs: number) => void): RedisOptions {
  return {
    host: t.host,
    port: t.port,
    db: t.db,
    ...(t.username ? { username: t.username } : {}),
    ...(t.password ? { password: t.password } : {}),
    ...(t.tls ? { tls: {} } : {}),
    maxRetriesPerRequest: null,
    enableOfflineQueue: true,
    retryStrategy: (attempt: number) => {
      const delay = Math.min(5000, 100 * 2 ** Math.min(attempt, 6));
      onRetry?.(attempt, delay);
      return delay;
    },
  };
}

/** Throws QUEUE_UNAVAILABLE when the server does not answer PING within `timeoutMs`. */
export async function probeRedis(url: string, t: RedisTarget, timeoutMs = 3000): Promise<void> {
  const client = new Redis({
    ...connectionOptions(t),
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
    retryStrategy: () => null,
    connectTimeout: timeoutMs,
    lazyConnect: true,
  });
  let lastError = '';
  client.on('error', (e: Error) => (lastError = e.message)); // reported below, once
  try {
    await withTimeout(client.connect(), timeoutMs);
    await withTimeout(client.ping(), timeoutMs);
  } catch (cause) {
    throw new PlannerError(
      ErrorCodes.QUEUE_UNAVAILABLE,
      `queue: Redis at ${redact(url)} is unreachable (${lastError || (cause as Error).message || 'no answer'}); start redis-server there or fix --queue / kernel.queue.url`,
      { context: { url: redact(url) }, cause },
    );
  } finally {
    client.disconnect();
  }
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
    p.then(
      (v) => (clearTimeout(timer), resolve(v)),
      (e: unknown) => (clearTimeout(timer), reject(e instanceof Error ? e : new Error(String(e)))),
    );
  });
}
