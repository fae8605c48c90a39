/** `cyntra-planner best-of-k`: the outcome bench of reference §13.2 through the kernel's real runner. */
import { resolve } from 'node:path';
import { ErrorCodes, PlannerError } from '../../errors.js';
import { runBestOfK, type BestOfKOptions, type IssueProgress } from '../../bench/best-of-k.js';
import type { BenchRecord } from '../../bench/bench-records.js';
import { readIssues } from '../../kernel/issue-source.js';
import { assertRunnerConfigured } from '../../kernel/kernel-preflight.js';
import { loadKernelConfig } from '../../kernel/load-config.js';
import type { KernelConfig } from '../../kernel/kernel-config-types.js';
import { parseCommandArgs, parseNumberOption, requireOption } from '../args.js';
import { EXIT_FAILED, EXIT_OK, type CliIO, type Command } from '../command.js';

const HELP = `Usage: cyntra-planner best-of-k --out DIR [--config FILE] [--issues FILE|DIR] [--k N] [--seed S]
                                [--max-cases N] [--job-types LIST] [--concurrency N] [--time-scale X]

The outcome bench (the Python planner's best-of-K, reference §13.2): for each issue, runs K distinct valid actions
through the kernel's runner (kernel.runner.command of the config), each as a normal workcell with its own manifest
under DIR/workcells/, and records what each achieved. Not \`npm run bench\` (that one measures speed).

Candidates per issue: the baseline action first (universe default swarm or serial_handoff; 1 candidate if serial,
else NA; minutes and iterations NA), then the first valid action of the other swarm, then the other valid actions
in a shuffle seeded with seed + issue index (mulberry32; Fisher-Yates as Python's random.shuffle), until K.
Winner: verified candidates first, then shortest duration_ms, lowest cost_usd, action text.

Writes DIR/results/best_of_k.json and DIR/bench_report.json after every issue. Rerunning with the same DIR
resumes: finished issues and finished candidate workcells are kept, never run twice; a DIR made with another
k/seed/universe is refused. Prints one progress line per issue.

  --out DIR            bench directory (required)
  --config FILE        kernel config (default .cyntra/config.yaml if present); its runner runs the candidates
  --issues FILE|DIR    issue queue (default kernel.issues of the config)
  --k N                candidates per issue (default 6)
  --seed S             integer seed of the shuffle (default 0)
  --max-cases N        bench only the first N issues of the queue
  --job-types LIST     comma-separated job types to bench (default code, like the Python bench); others are
                       recorded as skipped
  --concurrency N      candidates of one issue run in parallel (default kernel.concurrency)
  --time-scale X       override kernel.runner.time_scale (real ms per planned second)

duration_ms/cost_usd: from the runner's candidate-<i>.result.json "dispatch" section when it writes one (the demo
world does: simulated numbers, see docs/demo-world.md); else wall time / time_scale and no cost.

Exit codes: 0 done, 1 a failed operation or interrupted (rerun to resume), 2 bad usage or input.`;

export const bestOfKCommand: Command = {
  name: 'best-of-k',
  summary: 'outcome bench: run K candidate actions per issue through the kernel runner (resumable)',
  help: HELP,
  async run(argv, io) {
    const { values } = parseCommandArgs('best-of-k', argv, {
      out: { type: 'string' },
      config: { type: 'string' },
      issues: { type: 'string' },
      k: { type: 'string' },
      seed: { type: 'string' },
      'max-cases': { type: 'string' },
      'job-types': { type: 'string' },
      concurrency: { type: 'string' },
      'time-scale': { type: 'string' },
    });
    if (values.help) return (io.stdout(`${HELP}\n`), EXIT_OK);
    const prepared = prepareBench(values, io);
    const { outDir } = prepared;
    const stop = new AbortController();
    const onSignal = (): void => stop.abort();
    process.once('SIGINT', onSignal).once('SIGTERM', onSignal);
    try {
      const result = await runBestOfK({
        ...prepared,
        signal: stop.signal,
        onIssue: (p) => io.stdout(`${progressLine(p)}\n`),
      });
      const benched = result.records.filter((r): r is BenchRecord => !('skipped' in r));
      const passed = benched.filter((r) => r.winner?.verified).length;
      io.stdout(
        `best-of-k: ${result.records.length} records (${benched.length} benched, ${passed} with a verified winner) in ${outDir}\n`,
      );
      if (result.interrupted) {
        io.stderr('cyntra-planner: best-of-k: interrupted; rerun the same command to resume\n');
        return EXIT_FAILED;
      }
      return EXIT_OK;
    } finally {
      process.off('SIGINT', onSignal).off('SIGTERM', onSignal);
    }
  },
};

type BenchValues = Partial<
  Record<'out' | 'config' | 'issues' | 'k' | 'seed' | 'max-cases' | 'job-types' | 'concurrency' | 'time-scale', string>
>;

/** Options, config and issue queue: every problem here is bad usage or a bad file (exit 2). */
function prepareBench(values: BenchValues, io: CliIO): Omit<BestOfKOptions, 'signal' | 'onIssue'> {
  const outDir = resolve(io.cwd, requireOption('best-of-k', values.out, '--out'));
  const k = intOption(values.k, '--k', 1, 1000) ?? 6;
  const seed = intOption(values.seed, '--seed', -(2 ** 31), 2 ** 31 - 1) ?? 0;
  const maxCases = intOption(values['max-cases'], '--max-cases', 1, Number.MAX_SAFE_INTEGER) ?? null;
  const loaded = loadKernelConfig({ cwd: io.cwd, file: values.config });
  for (const w of loaded.warnings) io.stderr(`warning: ${w.message}\n`);
  const config = withTimeScale(
    loaded.config,
    parseNumberOption('best-of-k', values['time-scale'], '--time-scale', 1e-9, 1e6),
  );
  const issuesPath = values.issues !== undefined ? resolve(io.cwd, values.issues) : config.kernel.issues;
  if (issuesPath === null)
    throw new PlannerError(
      ErrorCodes.USAGE,
      'best-of-k: no issue queue; pass --issues FILE|DIR or set kernel.issues in the config',
    );
  assertRunnerConfigured(config);
  const jobTypes = (values['job-types'] ?? 'code')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
  const concurrency = intOption(values.concurrency, '--concurrency', 1, 64) ?? config.kernel.concurrency;
  return { config, issues: readIssues(issuesPath), outDir, k, seed, maxCases, jobTypes, concurrency };
}

function intOption(value: string | undefined, flag: string, min: number, max: number): number | undefined {
  const n = parseNumberOption('best-of-k', value, flag, min, max);
  if (n !== undefined && !Number.isInteger(n))
    throw new PlannerError(ErrorCodes.USAGE, `best-of-k: ${flag} must be an integer, got "${value}"`);
  return n;
}

function withTimeScale(config: KernelConfig, scale: number | undefined): KernelConfig {
  if (scale === undefined) return config;
  return { ...config, kernel: { ...config.kernel, runner: { ...config.kernel.runner, timeScale: scale } } };
}

function fmtBin(b: unknown): string {
  return String(b);
}

export function progressLine(p: IssueProgress): string {
  const head = `[${p.index + 1}/${p.total}] ${p.record.issue_id} ${p.record.job_type}:`;
  if ('skipped' in p.record) return `${head} skipped (${p.record.skip_reason})`;
  if (p.resumed === -1) return `${head} already benched (resumed)`;
  const r = p.record;
  const verified = r.candidates.filter((c) => c.verified).length;
  const w = r.winner;
  const win = w
    ? `winner ${w.action.map(fmtBin).join('/')} ${w.status} ${w.duration_ms === null ? '?' : (w.duration_ms / 60_000).toFixed(1)} min ${w.cost_usd === null ? '' : `$${w.cost_usd.toFixed(2)}`}`.trimEnd()
    : 'no winner';
  const simulated = r.candidates.some((c) => c.details.simulated === true) ? ' [simulated numbers]' : '';
  return `${head} ${r.candidates.length} candidates${p.resumed > 0 ? ` (${p.resumed} resumed)` : ''}, ${verified} verified; ${win}${simulated}`;
}
