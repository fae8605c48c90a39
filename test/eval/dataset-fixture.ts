/** Builds small §13.3-format datasets in a temp directory for the eval/calibrate tests. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildPlannerInput } from '../../core/planner-input.js';

export type RawAction = readonly [string, number | string, number | string, number | string];

export interface CandidateSpec {
  readonly action: RawAction | unknown;
  readonly verified: boolean;
  readonly duration_ms?: number | null;
  readonly cost_usd?: number | null;
}

export interface RowSpec {
  readonly n: number;
  readonly risk?: string;
  readonly size?: string;
  readonly tags?: string[];
  readonly label?: RawAction | null;
  readonly bench?: readonly CandidateSpec[];
  readonly started_ms?: number;
}

export function labelAction(a: RawAction): Record<string, unknown> {
  return {
    schema_version: 'cyntra.planner_action.v1',
    swarm_id: a[0],
    budgets: { max_candidates_bin: a[1], max_minutes_bin: a[2], max_iterations_bin: a[3] },
    confidence: 1,
  };
}

export function makeRow(spec: RowSpec): Record<string, unknown> {
  const issue = {
    id: `ISS-${spec.n}`,
    title: `issue ${spec.n}`,
    dk_risk: spec.risk ?? 'low',
    dk_size: spec.size ?? 'M',
    tags: spec.tags ?? [],
  };
  const row: Record<string, unknown> = {
    issue_id: issue.id,
    run_id: `run-${String(spec.n).padStart(4, '0')}`,
    started_ms: spec.started_ms ?? 1_000 * spec.n,
    job_type: 'code',
    planner_input: buildPlannerInput({ issue, now: 1_700_000_000_000 }),
  };
  if (spec.label) row.label_action = labelAction(spec.label);
  if (spec.bench) {
    const candidates = spec.bench.map((c, i) => ({
      action: c.action,
      verified: c.verified,
      status: c.verified ? 'success' : 'failed',
      duration_ms: c.duration_ms ?? null,
      cost_usd: c.cost_usd ?? null,
      workcell_id: `wc-${spec.n}-${i}`,
    }));
    row.bench = { bench_run_dir: '/tmp/bench', winner: candidates[0], candidates };
  }
  return row;
}

export interface TempDir {
  readonly dir: string;
  write(name: string, lines: readonly (Record<string, unknown> | string)[]): string;
  remove(): void;
}

export function tempDir(prefix = 'cyntra-eval-'): TempDir {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return {
    dir,
    write(name, lines) {
      const path = join(dir, name);
      writeFileSync(path, lines.map((l) => (typeof l === 'string' ? l : JSON.stringify(l))).join('\n') + '\n');
      return path;
    },
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}
