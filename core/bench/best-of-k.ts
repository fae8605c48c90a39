/**
 * The best-of-K outcome bench (reference §13.2): for each issue, K distinct valid actions run through the kernel's
 * real runner, each as its own workcell under `<out>/workcells/`; `results/best_of_k.json` and `bench_report.json`
 * are rewritten atomically after every issue. Resumable: issues already in the results are skipped, and a candidate
 * whose workcell is finished is read back, so a killed bench never runs a candidate twice once it finished.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ActionSpace } from '../action-space.js';
import { ErrorCodes, PlannerError } from '../errors.js';
import { buildPlannerInput, jobTypeOf } from '../planner-input.js';
import type { Issue } from '../planner-input-types.js';
import { SchemaRegistry } from '../schemas.js';
import { rfc3339 } from '../time.js';
import { writeJsonAtomic } from '../kernel/atomic-write.js';
import type { KernelConfig } from '../kernel/kernel-config-types.js';
import { systemStateSnapshot } from '../kernel/system-state.js';
import { workcellId } from '../kernel/workcell-paths.js';
import {
  BENCH_REPORT_SCHEMA_ID,
  BENCH_RESULTS_SCHEMA_ID,
  BENCH_SAMPLING,
  BENCH_SCHEMA_VERSION,
  benchConfigHash,
  pickWinner,
  type BenchCandidate,
  type BenchRecord,
  type SkippedRecord,
} from './bench-records.js';
import { chooseCandidates } from './candidate-choice.js';
import { runCandidate } from './run-candidate.js';

export interface BestOfKOptions {
  /** The kernel config; its `kernel.workcells` is replaced by `<outDir>/workcells`. */
  readonly config: KernelConfig;
  readonly issues: readonly Issue[];
  readonly outDir: string;
  readonly k: number;
  readonly seed: number;
  readonly maxCases: number | null;
  /** Job types benched (the Python bench: code only); others get a skipped record. */
  readonly jobTypes: readonly string[];
  /** Candidates of one issue run at most this many at a time. */
  readonly concurrency: number;
  readonly now?: () => number;
  readonly signal?: AbortSignal;
  readonly onIssue?: (p: IssueProgress) => void;
}

export interface IssueProgress {
  readonly index: number;
  readonly total: number;
  readonly record: BenchRecord | SkippedRecord;
  /** Candidates read back from finished workcells; -1 when the whole record came from the results file. */
  readonly resumed: number;
}

export interface BestOfKResult {
  readonly records: readonly (BenchRecord | SkippedRecord)[];
  readonly benchConfigHash: string;
  readonly interrupted: boolean;
}

export type AnyRecord = BenchRecord | SkippedRecord;

export async function runBestOfK(o: BestOfKOptions): Promise<BestOfKResult> {
  const now = o.now ?? Date.now;
  const schemas = new SchemaRegistry();
  const config: KernelConfig = { ...o.config, kernel: { ...o.config.kernel, workcells: join(o.outDir, 'workcells') } };
  const space = ActionSpace.defaults();
  const hash = benchConfigHash({
    universe_id: config.kernel.universeId,
    universe_defaults: { ...config.kernel.universeDefaults },
    action_space: space.toJson(),
    k: o.k,
    seed: o.seed,
    sampling: BENCH_SAMPLING,
    toolchain_override: null,
  });
  const resultsPath = join(o.outDir, 'results', 'best_of_k.json');
  const records = loadExisting(resultsPath, hash);
  const done = new Set(records.map((r) => r.issue_id));
  const total = Math.min(o.issues.length, o.maxCases ?? Infinity);
  const save = (): void => writeOutputs(o, schemas, resultsPath, hash, records, now);
  save();
  for (let index = 0; index < total; index++) {
    const issue = o.issues[index];
    if (done.has(issue.id)) {
      o.onIssue?.({ index, total, record: records.find((r) => r.issue_id === issue.id)!, resumed: -1 });
      continue;
    }
    const outcome = await benchIssue({ ...o, config }, issue, index, space, hash, schemas, now);
    if (outcome === null) return { records, benchConfigHash: hash, interrupted: true };
    records.push(outcome.record);
    done.add(issue.id);
    save();
    o.onIssue?.({ index, total, record: outcome.record, resumed: outcome.resumed });
  }
  return { records, benchConfigHash: hash, interrupted: false };
}

async function benchIssue(
  o: BestOfKOptions,
  issue: Issue,
  index: number,
  space: ActionSpace,
  hash: string,
  schemas: SchemaRegistry,
  now: () => number,
): Promise<{ record: AnyRecord; resumed: number } | null> {
  const jobType = jobTypeOf(issue);
  const title = typeof issue.title === 'string' ? issue.title : '';
  if (!o.jobTypes.includes(jobType)) {
    return {
      record: {
        issue_id: issue.id,
        title,
        job_type: jobType,
        skipped: true,
        skip_reason: `job_type_not_benched:${jobType}`,
      },
      resumed: 0,
    };
  }
  const k = o.config.kernel;
  const at = now();
  const input = buildPlannerInput({
    issue,
    now: at,
    jobType,
    history: [],
    universeId: k.universeId,
    universeDefaults: k.universeDefaults,
    systemState: systemStateSnapshot({ activeWorkcells: 0, queueDepth: 0, toolchains: k.toolchains, now: at }),
    actionSpace: space,
  });
  const actions = chooseCandidates({
    space,
    jobType,
    k: o.k,
    seed: o.seed,
    issueIndex: index,
    defaultSwarm: k.universeDefaults.swarm_id,
  });
  const results: (BenchCandidate | null)[] = new Array(actions.length).fill(null);
  let next = 0;
  let resumed = 0;
  let interrupted = false;
  const worker = async (): Promise<void> => {
    while (next < actions.length && !interrupted && !o.signal?.aborted) {
      const n = next++;
      const r = await runCandidate({
        config: o.config,
        issue,
        input,
        action: actions[n],
        workcellId: `${workcellId(issue.id)}__k${n}`,
        schemas,
        now,
        signal: o.signal,
      });
      if (r === null) interrupted = true;
      else {
        results[n] = r.candidate;
        if (r.resumed) resumed++;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(o.concurrency, actions.length)) }, worker));
  if (interrupted || o.signal?.aborted || results.some((r) => r === null)) return null;
  const candidates = results as BenchCandidate[];
  return {
    record: {
      bench_config_hash: hash,
      issue_id: issue.id,
      title,
      job_type: jobType,
      candidates,
      winner: pickWinner(candidates),
    },
    resumed,
  };
}

/** The records of an earlier run of the same bench; a different configuration is refused (exit 2). */
function loadExisting(path: string, hash: string): AnyRecord[] {
  if (!existsSync(path)) return [];
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(path, 'utf8'));
  } catch (cause) {
    throw new PlannerError(
      ErrorCodes.INPUT_INVALID,
      `${path}: not valid JSON (${(cause as Error).message}); delete it to restart the bench`,
      { context: { file: path }, cause },
    );
  }
  if (!Array.isArray(value))
    throw new PlannerError(
      ErrorCodes.INPUT_INVALID,
      `${path}: expected a JSON array of bench records; delete it to restart the bench`,
      { context: { file: path } },
    );
  for (const [i, r] of value.entries()) {
    const other = (r as { bench_config_hash?: unknown }).bench_config_hash;
    if (other !== undefined && other !== hash) {
      throw new PlannerError(
        ErrorCodes.INPUT_INVALID,
        `${path}: record ${i} was benched with another configuration (bench_config_hash ${String(other)}, this run ${hash}: k, seed, universe or action space differ); use a new --out directory`,
        {
          context: { file: path, index: i, expected: hash, found: other },
        },
      );
    }
  }
  return value as AnyRecord[];
}

function writeOutputs(
  o: BestOfKOptions,
  schemas: SchemaRegistry,
  resultsPath: string,
  hash: string,
  records: AnyRecord[],
  now: () => number,
): void {
  schemas.assertValid(BENCH_RESULTS_SCHEMA_ID, records, resultsPath);
  writeJsonAtomic(resultsPath, records);
  const report = {
    schema_version: BENCH_SCHEMA_VERSION,
    generated_at: rfc3339(now()),
    bench_dir: o.outDir,
    bench_config_hash: hash,
    k: o.k,
    seed: o.seed,
    sampling: BENCH_SAMPLING,
    case_count: records.length,
    results_path: resultsPath,
  };
  const reportPath = join(o.outDir, 'bench_report.json');
  schemas.assertValid(BENCH_REPORT_SCHEMA_ID, report, reportPath);
  writeJsonAtomic(reportPath, report);
}
