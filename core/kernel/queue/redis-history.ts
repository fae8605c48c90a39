/**
 * The similar-runs history shared by every worker: each finished run summary is also written to Redis, keyed by
 * universe and job type (`cyntra:<queue>:history:<universe>:<job type>`: a hash run_id → summary JSON plus a sorted set
 * by start time), bounded per key (the oldest are dropped). Writing is idempotent per run_id, so a re-run attempt
 * on another machine does not add a second summary. Local workcells stay the durable per-machine record.
 */
import type { Redis } from 'ioredis';
import type { RunSummary } from '../../planner-input-types.js';
import type { Logger } from '../../logger.js';
import { RUN_SUMMARY_SCHEMA_ID } from '../run-summaries.js';
import type { SchemaRegistry } from '../../schemas.js';

// KEYS: index zset, data hash. ARGV: run_id, started_ms, json, limit.
const PUSH = `
redis.call('HSET', KEYS[2], ARGV[1], ARGV[3])
redis.call('ZADD', KEYS[1], tonumber(ARGV[2]), ARGV[1])
local extra = redis.call('ZCARD', KEYS[1]) - tonumber(ARGV[4])
if extra > 0 then
  local old = redis.call('ZRANGE', KEYS[1], 0, extra - 1)
  redis.call('ZREMRANGEBYRANK', KEYS[1], 0, extra - 1)
  for _, id in ipairs(old) do redis.call('HDEL', KEYS[2], id) end
end
return extra`;

export class RedisHistory {
  constructor(
    private readonly client: Redis,
    private readonly opts: {
      queueName: string;
      universeId: string;
      limit: number;
      logger: Logger;
      schemas: SchemaRegistry;
    },
  ) {}

  keys(jobType: string): [string, string] {
    const base = `cyntra:${this.opts.queueName}:history:${encodeURIComponent(this.opts.universeId)}:${encodeURIComponent(jobType)}`;
    return [`${base}:index`, `${base}:data`];
  }

  async push(summary: RunSummary): Promise<void> {
    await this.client.eval(
      PUSH,
      2,
      ...this.keys(summary.job_type),
      summary.run_id,
      String(summary.started_ms),
      JSON.stringify(summary),
      String(this.opts.limit),
    );
  }

  /** Every stored summary of the job type; entries that do not parse or match the schema are skipped with a warning. */
  async read(jobType: string): Promise<RunSummary[]> {
    const values = await this.client.hvals(this.keys(jobType)[1]);
    const out: RunSummary[] = [];
    for (const text of values) {
      try {
        const value: unknown = JSON.parse(text);
        if (this.opts.schemas.validate(RUN_SUMMARY_SCHEMA_ID, value).valid) out.push(value as RunSummary);
        else this.opts.logger.warn({ jobType }, 'skipping a Redis run summary that does not match its schema');
      } catch {
        this.opts.logger.warn({ jobType }, 'skipping a Redis run summary that is not JSON');
      }
    }
    return out;
  }
}

/** Local and shared history, one summary per run_id (the local copy wins). */
export function mergeHistory(local: readonly RunSummary[], shared: readonly RunSummary[]): RunSummary[] {
  const seen = new Set(local.map((s) => s.run_id));
  return [...local, ...shared.filter((s) => !seen.has(s.run_id))];
}
