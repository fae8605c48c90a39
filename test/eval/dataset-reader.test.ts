import { afterEach, describe, expect, it } from 'vitest';
import { ErrorCodes, type PlannerError } from '../../core/errors.js';
import { readDataset, rowsOf } from '../../core/eval/dataset-reader.js';
import { makeRow, tempDir, type TempDir } from './dataset-fixture.js';

let tmp: TempDir | null = null;
afterEach(() => {
  tmp?.remove();
  tmp = null;
});

describe('readDataset', () => {
  it('skips and lists bad lines by number; the rest is read; blank lines are ignored', () => {
    tmp = tempDir();
    const badInput = makeRow({ n: 3, label: ['serial_handoff', 1, 30, 'NA'] });
    (badInput.planner_input as Record<string, unknown>).issue = 'not an object';
    const file = tmp.write('d.jsonl', [
      makeRow({ n: 0, label: ['serial_handoff', 1, 30, 'NA'] }),
      '{"truncated": ',
      '',
      '[1, 2, 3]',
      { issue_id: 'no-input', label_action: { swarm_id: 'serial_handoff' } },
      badInput,
      makeRow({
        n: 1,
        label: null,
        bench: [{ action: ['serial_handoff', 1, 'NA', 'NA'], verified: true, duration_ms: 5 }],
      }),
    ]);
    const d = readDataset(file);
    expect(d.rows.map((r) => r.line)).toEqual([1, 7]);
    expect(d.skipped.map((s) => [s.line, s.reason])).toEqual([
      [2, 'not_json'],
      [4, 'not_object'],
      [5, 'no_planner_input'],
      [6, 'invalid_planner_input'],
    ]);
    for (const s of d.skipped) expect(s.message).toContain(`${file}:${s.line}:`);
    expect(d.skipped[3].message).toContain('/issue');
    // the split runs over the four JSON-object rows: int(4*0.8)=3 train, 0 val, 1 test
    expect(d.objectRows).toBe(4);
    expect(d.splitCounts).toEqual({ train: 3, val: 0, test: 1 });
    expect(d.rows[0].label).toEqual({
      swarm_id: 'serial_handoff',
      max_candidates_bin: 1,
      max_minutes_bin: 30,
      max_iterations_bin: 'NA',
    });
    expect(d.rows[1].label).toBeNull();
    expect(d.rows[1].bench).toEqual([
      {
        action: { swarm_id: 'serial_handoff', max_candidates_bin: 1, max_minutes_bin: 'NA', max_iterations_bin: 'NA' },
        rawAction: ['serial_handoff', 1, 'NA', 'NA'],
        verified: true,
        durationMs: 5,
        costUsd: null,
      },
    ]);
    // sorted: line 5 (no started_ms: 0, run_id ""), line 1 (0 ms), line 7 (1000 ms), line 6 (3000 ms) → the skipped
    // line 6 keeps its place as the test row, so the usable rows do not move
    expect(rowsOf(d, 'train').map((r) => r.line)).toEqual([1, 7]);
    expect(rowsOf(d, 'val')).toEqual([]);
    expect(rowsOf(d, 'test')).toEqual([]);
  });

  it('counts rows whose own split field differs from the recomputed time split', () => {
    tmp = tempDir();
    const rows = Array.from({ length: 10 }, (_, n) => ({
      ...makeRow({ n, label: ['serial_handoff', 1, 30, 'NA'] }),
      split: n < 8 ? 'train' : n === 8 ? 'val' : 'test',
    }));
    expect(readDataset(tmp.write('a.jsonl', rows)).splitFieldDisagreements).toBe(0);
    rows[0].split = 'test';
    expect(readDataset(tmp.write('b.jsonl', rows)).splitFieldDisagreements).toBe(1);
  });

  it('an empty candidate list is no bench section; an unreadable file is INPUT_INVALID naming it', () => {
    tmp = tempDir();
    const row = makeRow({ n: 0, label: ['serial_handoff', 1, 30, 'NA'] });
    row.bench = { candidates: [] };
    expect(readDataset(tmp.write('e.jsonl', [row])).rows[0].bench).toBeNull();
    const missing = `${tmp.dir}/nope.jsonl`;
    try {
      readDataset(missing);
      expect.unreachable();
    } catch (e) {
      expect((e as PlannerError).code).toBe(ErrorCodes.INPUT_INVALID);
      expect((e as Error).message).toContain(missing);
    }
  });
});
