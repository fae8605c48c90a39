/**
 * Issue 12, decoder: `job_type = planner_input.job_type or "code"` (reference §7.1 step 1). The goldens in
 * fixtures/decoder/ are derived by hand from the validity rules and re-derived by fixtures/tools/check-encoder-goldens.py.
 */
import { readFileSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { ActionSpace } from '../../core/action-space.js';
import { createDefaultRegistry } from '../../plugins/index.js';
import { decodeJobType } from '../../core/decode-job-type.js';
import { decodeJoint } from '../../core/decode.js';
import { heuristicAction } from '../../core/heuristic-baseline.js';
import { resolveInferenceConfig } from '../../core/inference-config.js';
import { buildPlannerInput } from '../../core/planner-input.js';
import { PlannerInference } from '../../core/planner-inference.js';
import { makeScriptedBundle, prefer, scriptedPlugin } from '../support/scripted-plugin.js';

interface DecodeCase {
  name: string;
  job_type: string | null;
  logits: Record<'swarm' | 'candidates' | 'minutes' | 'iterations', number[]>;
  action: [string, number | 'NA', number | 'NA', number | 'NA'];
  confidence: number;
}

const FILE = fileURLToPath(new URL('../../fixtures/decoder/job-type-cases.json', import.meta.url));
const cases = (JSON.parse(readFileSync(FILE, 'utf8')) as { cases: DecodeCase[] }).cases;
const space = ActionSpace.defaults();

describe('decodeJobType (reference §7.1 step 1)', () => {
  it.each([
    ['code', 'code'],
    ['', 'code'],
    [null, 'code'],
    [undefined, 'code'],
    [false, 'code'],
    [0, 'code'],
    [' code ', ' code '],
    ['fab-world', 'fab-world'],
    ['Code', 'Code'],
    [' ', ' '],
  ] as const)('%j → %j', (given, expected) => {
    expect(decodeJobType(given)).toBe(expected);
  });
});

describe('decoder goldens (fixtures/decoder/job-type-cases.json)', () => {
  it('holds the issue 12 cases', () => {
    expect(cases.map((c) => c.job_type)).toEqual(expect.arrayContaining(['', ' code ', 'code', null]));
  });

  it.each(cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const logits = Object.fromEntries(
      Object.entries(c.logits).map(([k, v]) => [k, Float32Array.from(v)]),
    ) as Parameters<typeof decodeJoint>[0];
    const r = decodeJoint(logits, space, decodeJobType(c.job_type), { temperatures: null, confidenceMode: 'min' });
    expect([
      r.action.swarm_id,
      r.action.max_candidates_bin,
      r.action.max_minutes_bin,
      r.action.max_iterations_bin,
    ]).toEqual(c.action);
    expect(r.confidence).toBeCloseTo(c.confidence, 6); // float32 logits vs Python floats
  });
});

describe('end to end: an empty job_type decodes under the code rules', () => {
  const bundle = makeScriptedBundle();
  afterAll(() => rmSync(bundle, { recursive: true, force: true }));

  it.each([
    ['', 'NA'],
    ['code', 'NA'],
    [' code ', 1],
  ] as const)('job_type %j → iterations %j (the model prefers iterations 1)', async (jobType, iterations) => {
    const registry = createDefaultRegistry().register(
      scriptedPlugin({ script: () => prefer({ swarm: 0, candidates: 0, minutes: 0, iterations: 0 }) }),
    );
    const planner = await PlannerInference.create(
      resolveInferenceConfig({ modelPath: bundle, modelType: 'scripted', confidenceThreshold: 0 }),
      { registry, clock: () => 0 },
    );
    try {
      const input = {
        ...buildPlannerInput({ issue: { id: 'J-1' }, now: 0, actionSpace: planner.actionSpace }),
        job_type: jobType,
      };
      const out = await planner.predict(input);
      expect(out.trace.modelAction?.max_iterations_bin).toBe(iterations);
      expect(out.action.max_iterations_bin).toBe(iterations);
    } finally {
      await planner.dispose();
    }
  });

  it('the heuristic applies the same rule: an empty job_type gets iterations NA', () => {
    const issue = {
      issue_id: 'J-2',
      dk_priority: 'P2',
      dk_risk: 'low',
      dk_size: 'S',
      dk_tool_hint: null,
      dk_attempts: 0,
      tags: [],
    };
    expect(heuristicAction({ issue, job_type: '' }, space).max_iterations_bin).toBe('NA');
    expect(heuristicAction({ issue, job_type: ' code ' }, space).max_iterations_bin).toBe(2);
  });
});
