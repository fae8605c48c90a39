/** `report` figures on a hand-built set of manifests, including truncated, foreign, garbled and invalid files. */
import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildReport } from '../../core/report/build-report.js';
import { scanWorkcells } from '../../core/report/read-workcells.js';
import { REPORT_SCHEMA_ID, type PlannerReport } from '../../core/report/report-types.js';
import { SchemaRegistry } from '../../core/schemas.js';
import { manifestOf, writeWorkcell } from './manifest-builder.js';
import { runCli } from '../support/cli-run.js';

const D1 = `sha256:${'a'.repeat(64)}`;
const D2 = `sha256:${'b'.repeat(64)}`;
const T0 = Date.parse('2026-01-01T00:00:00Z');
const SV = 'speculate_vote';
const SH = 'serial_handoff';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'cyntra-report-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function writeSet(root: string): void {
  const w = (name: string, spec: Parameters<typeof manifestOf>[0]) => writeWorkcell(root, name, manifestOf(spec));
  w('A', {
    id: 'A',
    createdMs: T0,
    record: { swarm: SV, c: 3, m: 60, i: 'NA', abstain: false, reason: null, version: D1 },
    modelAction: { swarm: SV, c: 3, m: 60, i: 'NA', confidence: 0.9 },
    executed: { swarm: SV, c: 3, minutes: 60, i: null },
    inferenceMs: 2,
  });
  w('B', {
    id: 'B',
    createdMs: T0 + 1000,
    record: { swarm: SV, c: 2, m: 60, i: 'NA', abstain: false, reason: 'capped_max_minutes_from_120', version: D1 },
    modelAction: { swarm: SV, c: 2, m: 120, i: 'NA', confidence: 0.8 },
    executed: { swarm: SV, c: 2, minutes: 60, i: null },
    run: { status: 'failed', durationMs: 300 },
    inferenceMs: 4,
  });
  w('C', {
    id: 'C',
    createdMs: T0 + 2000,
    record: { swarm: SH, c: 1, m: 30, i: 'NA', abstain: true, reason: 'low_confidence_0.400', version: D1 },
    modelAction: { swarm: SV, c: 3, m: 60, i: 'NA', confidence: 0.4 },
    executed: { swarm: SH, c: 1, minutes: 30, i: null },
    run: { status: 'success', durationMs: 200 },
    inferenceMs: 6,
  });
  w('D', {
    id: 'D',
    createdMs: T0 + 3000,
    record: { swarm: SH, c: 1, m: 30, i: 'NA', abstain: true, reason: 'inference_timeout', version: D2 },
    modelAction: null,
    executed: { swarm: SH, c: 1, minutes: 30, i: null },
    run: { status: 'timeout', durationMs: 1000 },
    inferenceMs: 150,
  });
  w('E', {
    id: 'E',
    createdMs: T0 + 4000,
    record: null,
    gateReason: 'job_type_not_enabled_fab-world',
    executed: { swarm: SH, c: 1, minutes: 30, i: null },
    run: { status: 'success', durationMs: 50 },
  });
  const c1ok = {
    name: 'c1',
    backend: 'onnx',
    digest: null,
    status: 'ok',
    swarm_id: SV,
    budgets: { max_candidates_bin: 3, max_minutes_bin: 60, max_iterations_bin: 'NA' },
    confidence: 0.7,
    reason: null,
    latency_ms: 5,
  };
  const c1late = {
    name: 'c1',
    backend: 'onnx',
    digest: null,
    status: 'timeout',
    swarm_id: null,
    budgets: null,
    confidence: null,
    reason: 'challenger_budget_exceeded',
    latency_ms: 200,
  };
  w('F', {
    id: 'F',
    mode: 'shadow',
    createdMs: T0 + 5000,
    record: { swarm: SV, c: 3, m: 60, i: 'NA', abstain: true, reason: 'shadow_mode', version: D1 },
    modelAction: { swarm: SV, c: 3, m: 60, i: 'NA', confidence: 0.7 },
    executed: { swarm: SV, c: 3, minutes: 60, i: null },
    inferenceMs: 3,
    challengers: [c1ok],
  });
  w('G', {
    id: 'G',
    mode: 'shadow',
    createdMs: T0 + 9000,
    record: { swarm: SV, c: 2, m: 45, i: 'NA', abstain: true, reason: 'shadow_mode;low_confidence_0.200', version: D1 },
    modelAction: { swarm: SV, c: 2, m: 45, i: 'NA', confidence: 0.2 },
    executed: { swarm: SH, c: 1, minutes: 45, i: null },
    run: null,
    inferenceMs: 5,
    challengers: [c1late],
  });
  writeWorkcell(
    root,
    'truncated',
    JSON.stringify(manifestOf({ id: 'T', executed: { swarm: SH, c: 1, minutes: 30, i: null } })).slice(0, 250),
  );
  writeWorkcell(root, 'foreign', { schema_version: 'cyntra.workcell.v0', issue_id: 'X' });
  writeWorkcell(root, 'garbled', '}{ not json');
  writeWorkcell(root, 'invalid', { schema_version: 'cyntra-planner.workcell_manifest.v1', issue_id: 'Y' });
  mkdirSync(join(root, 'no-manifest-here'));
  const reload = (at: string, result: string, reason: string | null) =>
    JSON.stringify({ at, trigger: 'sighup', result, digest: result === 'refused' ? null : D2, reason });
  writeFileSync(
    join(root, 'planner-reloads.jsonl'),
    [
      reload('2026-01-01T00:00:03Z', 'loaded', null),
      '{"torn',
      reload('2026-01-01T00:00:08Z', 'refused', 'BUNDLE_JSON_INVALID: x'),
    ].join('\n'),
  );
}

function reportOf(root: string, sinceMs: number | null = null): PlannerReport {
  return buildReport(scanWorkcells(root, { sinceMs }), { workcells: root, since: null, now: T0 });
}

describe('report figures', () => {
  it('counts decisions, reasons, shadow agreement, outcomes, confidences, latency, versions and challengers', () => {
    writeSet(dir);
    const r = reportOf(dir);
    expect(new SchemaRegistry().validate(REPORT_SCHEMA_ID, r).errors).toEqual([]);
    expect(r.manifests).toMatchObject({ found: 11, used: 7, finished: 6, before_since: 0 });
    expect(r.manifests.skipped.map((s) => [s.file.split('/').at(-2), s.kind])).toEqual([
      ['foreign', 'foreign_schema'],
      ['garbled', 'unreadable'],
      ['invalid', 'invalid'],
      ['truncated', 'truncated'],
    ]);
    expect(r.modes).toEqual({ enabled: 5, shadow: 2 });
    expect(r.decisions).toMatchObject({ total: 7, planner_asked: 6, fallback_rate: 0.5 });
    expect(r.decisions.by_source).toEqual([
      { key: 'heuristic', count: 5, rate: 0.7143 },
      { key: 'model', count: 2, rate: 0.2857 },
    ]);
    expect(r.decisions.by_reason.map((x) => [x.key, x.count])).toEqual([
      ['low_confidence', 2],
      ['inference_timeout', 1],
      ['not_asked:job_type_not_enabled', 1],
    ]);
    expect(r.decisions.caps.map((x) => [x.key, x.count])).toEqual([['capped_max_minutes', 1]]);
    expect(r.decisions.over_time.reduce((a, b) => a + b.decisions, 0)).toBe(6);
    expect(r.shadow).toEqual({ compared: 2, exact: 0.5, swarm: 0.5, candidates: 0.5, minutes: 1, iterations: 1 });
    const bySource = Object.fromEntries(r.outcomes.by_source.map((o) => [o.key, o]));
    expect(bySource.model).toMatchObject({ count: 2, success: 1, failed: 1, timeout: 0, success_rate: 0.5 });
    expect(bySource.heuristic).toMatchObject({ count: 4, success: 3, failed: 0, timeout: 1, success_rate: 0.75 });
    expect(r.confidence.count).toBe(5);
    const sweep = Object.fromEntries(r.confidence.sweep.map((s) => [s.threshold, s.fallback_rate]));
    expect([sweep[0], sweep[0.5], sweep[0.85]]).toEqual([0.1667, 0.5, 0.8333]);
    expect(r.confidence.histogram[9].count).toBe(1);
    expect(r.latency).toEqual([{ backend: 'onnx', count: 6, p50_ms: 4, p90_ms: 150, p99_ms: 150, max_ms: 150 }]);
    expect(r.models.map((m) => [m.digest, m.decisions, m.fallbacks])).toEqual([
      [D1, 5, 2],
      [D2, 1, 1],
    ]);
    expect(r.challengers).toEqual([
      expect.objectContaining({
        name: 'c1',
        predictions: 2,
        fallbacks: 1,
        by_status: { ok: 1, timeout: 1 },
        swarm_agreement_on_success: 1,
        swarm_agreement_on_failure: null,
        latency_ms_p50: 5,
        latency_ms_p99: 200,
      }),
    ]);
    expect(r.challengers[0].agreement_with_champion).toMatchObject({ compared: 1, exact: 1 });
    expect(r.reloads).toMatchObject({ loaded: 1, refused: 1, unchanged: 0 });
    expect(r.reloads.events.map((e) => e.reason)).toEqual([null, 'BUNDLE_JSON_INVALID: x']);
  });

  it('--since leaves older manifests out and counts them', () => {
    writeSet(dir);
    const r = reportOf(dir, T0 + 4500);
    expect(r.manifests).toMatchObject({ used: 2, before_since: 5 });
    expect(r.reloads).toMatchObject({ loaded: 0, refused: 1 });
  });
});

const cli = (argv: string[]) => runCli(argv, dir);

describe('report command', () => {
  it('a missing or empty directory is a one-line coded error naming it, exit 2', async () => {
    const missing = await cli(['report', '--workcells', join(dir, 'nope')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/WORKCELLS_NOT_FOUND: .*nope/);
    expect(missing.stderr.trim().split('\n')).toHaveLength(1);
    const empty = await cli(['report', '--workcells', dir]);
    expect(empty.code).toBe(2);
    expect(empty.stderr).toMatch(/WORKCELLS_EMPTY: /);
  });

  it('writes JSON, table and a self-contained HTML file; skipped manifests are listed, not fatal', async () => {
    writeSet(join(dir, 'wc'));
    const json = await cli(['report', '--workcells', 'wc', '--format', 'json']);
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout).manifests.skipped).toHaveLength(4);
    expect(json.stderr).toMatch(/4 of 11 manifests skipped/);
    const table = await cli(['report', '--workcells', 'wc']);
    expect(table.stdout).toMatch(/== Shadow agreement/);
    const html = await cli(['report', '--workcells', 'wc', '--out', 'out']);
    expect(html.code).toBe(0);
    const text = readFileSync(join(dir, 'out', 'report.html'), 'utf8');
    expect(text).toMatch(/<svg /);
    expect(text).not.toMatch(/<script|https?:\/\/(?!www\.w3\.org\/2000\/svg)/);
  });

  it('a bad --since or --format is bad usage', async () => {
    writeSet(join(dir, 'wc'));
    expect((await cli(['report', '--workcells', 'wc', '--since', 'yesterday'])).code).toBe(2);
    expect((await cli(['report', '--workcells', 'wc', '--format', 'pdf'])).code).toBe(2);
  });
});
