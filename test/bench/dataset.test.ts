import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  datasetHash,
  sortAndSplit,
  writeDataset,
  DATASET_META_SCHEMA_ID,
  DATASET_ROW_SCHEMA_ID,
} from '../../core/bench/dataset-file.js';
import { outcomeRows } from '../../core/bench/outcome-dataset.js';
import { stageARows } from '../../core/bench/stage-a-dataset.js';
import { buildPlannerInput } from '../../core/planner-input.js';
import { plannerActionRecord } from '../../core/records.js';
import { SchemaRegistry } from '../../core/schemas.js';
import { rfc3339 } from '../../core/time.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
function temp(): string {
  const d = mkdtempSync(join(tmpdir(), 'cyntra-dataset-'));
  dirs.push(d);
  return d;
}

const row = (run_id: string, started_ms: number) => ({ run_id, started_ms });

describe('dataset split and hash (reference §13.3)', () => {
  it('sorts by (started_ms, run_id) and splits int(n*0.8) / int(n*0.1) / rest', () => {
    expect(sortAndSplit([])).toEqual([]);
    expect(sortAndSplit([row('a', 1)]).map((r) => r.split)).toEqual(['test']);
    const nine = sortAndSplit(Array.from({ length: 9 }, (_, i) => row(`r${i}`, 100 - i)));
    expect(nine.map((r) => r.split).join(',')).toBe('train,train,train,train,train,train,train,test,test'); // 7 / 0 / 2
    expect(nine[0].run_id).toBe('r8');
    const ten = sortAndSplit(Array.from({ length: 10 }, (_, i) => row(`r${i}`, i)));
    expect(ten.map((r) => r.split).join(',')).toBe('train,train,train,train,train,train,train,train,val,test'); // 8 / 1 / 1
    const ties = sortAndSplit([row('b', 5), row('a', 5), row('c', 1)]);
    expect(ties.map((r) => r.run_id)).toEqual(['c', 'a', 'b']);
  });

  it('dataset_hash is SHA-256 over each row\'s canonical JSON plus "\\n" (digest computed with Python hashlib)', () => {
    const rows = sortAndSplit([row('b', 2), row('a', 1)]);
    // '{"run_id":"a","split":"train","started_ms":1}\n{"run_id":"b","split":"test","started_ms":2}\n'
    expect(datasetHash(rows)).toBe('097d7233c4a1184dbd35fdf739478c891649d8c498c29601d6b95c43c3e7d597');
  });
});

/** A bench directory with one good record, plus hostile ones: not an object, no winner, a broken winner manifest. */
function makeBench(): string {
  const dir = temp();
  const now = Date.parse('2026-01-02T03:04:05Z');
  const input = buildPlannerInput({ issue: { id: 'I-1', title: 'Fix the parser', tags: ['x'] }, now });
  const action = {
    swarm_id: 'serial_handoff',
    max_candidates_bin: 1,
    max_minutes_bin: 30,
    max_iterations_bin: 'NA' as const,
    confidence: 1,
    abstain_to_default: false,
    reason: null,
    caps_applied: [],
  };
  const winner = {
    action: ['serial_handoff', 1, 30, 'NA'],
    verified: true,
    status: 'success',
    duration_ms: 60000,
    cost_usd: 0.5,
    workcell_id: 'I-1__k0',
    details: {},
  };
  const good = join(dir, 'workcells', 'I-1__k0');
  mkdirSync(good, { recursive: true });
  writeFileSync(
    join(good, 'manifest.json'),
    JSON.stringify({
      planner: {
        planner_input: input,
        planner_action: plannerActionRecord(action, { input, checkpointId: 'best_of_k_candidate', now }),
        executed_plan: null,
      },
      run: { started_at: rfc3339(now) },
    }),
  );
  mkdirSync(join(dir, 'workcells', 'I-3__k0'), { recursive: true });
  writeFileSync(join(dir, 'workcells', 'I-3__k0', 'manifest.json'), '{"planner": {');
  const records = [
    {
      bench_config_hash: 'h',
      issue_id: 'I-1',
      title: 'Fix the parser',
      job_type: 'code',
      candidates: [winner],
      winner,
    },
    42,
    { bench_config_hash: 'h', issue_id: 'I-2', title: 't', job_type: 'code', candidates: [], winner: null },
    {
      bench_config_hash: 'h',
      issue_id: 'I-3',
      title: 't',
      job_type: 'code',
      candidates: [],
      winner: { ...winner, workcell_id: 'I-3__k0' },
    },
    {
      issue_id: 'W-1',
      title: 'w',
      job_type: 'fab-world',
      skipped: true,
      skip_reason: 'job_type_not_benched:fab-world',
    },
  ];
  mkdirSync(join(dir, 'results'));
  writeFileSync(join(dir, 'results', 'best_of_k.json'), JSON.stringify(records, null, 2));
  return dir;
}

describe('outcome dataset from a bench directory', () => {
  it('builds rows for usable records, skips bad ones naming file and line, and writes schema-valid files', () => {
    const bench = makeBench();
    const built = outcomeRows(bench);
    expect(built.rows.map((r) => r.issue_id)).toEqual(['I-1']);
    expect(built.skipped).toHaveLength(3);
    const results = join(bench, 'results', 'best_of_k.json');
    expect(built.skipped[0].where).toMatch(new RegExp(`^${results}:\\d+$`));
    expect(built.skipped[1].reason).toMatch(/no winner/);
    expect(built.skipped[2].where).toBe(join(bench, 'workcells', 'I-3__k0', 'manifest.json'));
    const out = temp();
    const rows = sortAndSplit(built.rows);
    const meta = writeDataset(out, {
      schemaVersion: 'cyntra.planner_outcome_dataset.v1',
      source: built.source,
      rows,
      skipped: built.skipped,
      now: 0,
    });
    expect(meta).toMatchObject({ example_count: 1, skipped_count: 3, split_counts: { train: 0, val: 0, test: 1 } });
    const schemas = new SchemaRegistry();
    expect(
      schemas.validate(DATASET_META_SCHEMA_ID, JSON.parse(readFileSync(join(out, 'meta.json'), 'utf8'))).errors,
    ).toEqual([]);
    const lines = readFileSync(join(out, 'dataset.jsonl'), 'utf8').trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    const parsed = JSON.parse(lines[0]);
    expect(Object.keys(parsed)).toEqual([...Object.keys(parsed)].sort());
    expect(schemas.validate(DATASET_ROW_SCHEMA_ID, parsed).errors).toEqual([]);
    expect(parsed).toMatchObject({
      run_id: 'I-1__k0',
      label_action: { swarm_id: 'serial_handoff' },
      bench: { bench_run_dir: join('workcells', 'I-1__k0') },
    });
    expect(parsed.tokens[0]).toBe('[BOS]');
    expect(meta.dataset_hash).toBe(datasetHash(rows));
  });

  it('a missing results file is bad input (INPUT_INVALID)', () => {
    expect(() => outcomeRows(temp())).toThrow(expect.objectContaining({ code: 'INPUT_INVALID' }));
  });
});

describe('Stage-A dataset from kernel workcells', () => {
  it('labels rows with the executed plan mapped to bins; skips broken and unfinished workcells', () => {
    const wc = temp();
    const now = Date.parse('2026-01-02T03:04:05Z');
    const input = buildPlannerInput({ issue: { id: 'A', title: 'A', tags: [] }, now });
    const put = (name: string, manifest: unknown, summary?: unknown): void => {
      mkdirSync(join(wc, name));
      writeFileSync(
        join(wc, name, 'manifest.json'),
        typeof manifest === 'string' ? manifest : JSON.stringify(manifest),
      );
      if (summary !== undefined) writeFileSync(join(wc, name, 'run-summary.json'), JSON.stringify(summary));
    };
    const executed = { swarm_id: 'mystery_swarm', max_candidates: 5, max_minutes: 52, max_iterations: null };
    put(
      'A',
      { status: 'finished', planner: { planner_input: input } },
      { run_id: 'A', started_ms: now, action_executed: executed },
    );
    put('B', { status: 'dispatched', planner: { planner_input: input } });
    put('C', '{"status": "finished",\n  oops');
    const built = stageARows(wc);
    expect(built.rows).toHaveLength(1);
    expect(built.rows[0].label_action).toMatchObject({
      swarm_id: 'serial_handoff',
      budgets: { max_candidates_bin: 3, max_minutes_bin: 45, max_iterations_bin: 'NA' },
      model: { checkpoint_id: 'executed_plan' },
    });
    expect(built.skipped).toHaveLength(1);
    expect(built.skipped[0].reason).toMatch(new RegExp(`${join(wc, 'C', 'manifest.json')}:2:\\d+`));
    expect(built.source).toMatchObject({ unfinished_workcells: 1 });
    const row = sortAndSplit(built.rows)[0];
    expect(new SchemaRegistry().validate(DATASET_ROW_SCHEMA_ID, row).errors).toEqual([]);
  });
});

describe('cyntra-planner dataset (in process)', () => {
  it('reports each skipped row on stderr, the count on stdout, and exits 0; bad usage is USAGE', async () => {
    const { datasetCommand } = await import('../../core/cli/commands/dataset.js');
    const bench = makeBench();
    const out = join(temp(), 'ds');
    let stdout = '';
    let stderr = '';
    const io = {
      stdout: (t: string) => void (stdout += t),
      stderr: (t: string) => void (stderr += t),
      cwd: bench,
      env: {},
      isTTY: false,
      logger: undefined as never,
    };
    expect(await datasetCommand.run(['--bench', bench, '--out', out], io)).toBe(0);
    expect(stderr.trim().split('\n')).toHaveLength(3);
    expect(stderr).toMatch(/dataset: skipped .*best_of_k\.json:\d+: a bench record must be a JSON object/);
    expect(stdout).toMatch(/1 rows \(train 0, val 0, test 1\), 3 skipped/);
    await expect(datasetCommand.run(['--bench', bench, '--workcells', bench, '--out', out], io)).rejects.toMatchObject({
      code: 'USAGE',
    });
    await expect(datasetCommand.run(['--bench', bench], io)).rejects.toMatchObject({ code: 'USAGE' });
  });
});
