import { describe, expect, it } from 'vitest';
import { canonicalJson, inputHash, pythonNumber } from '../../core/canonical-json.js';
import { buildPlannerInput } from '../../core/planner-input.js';
import { plannerActionRecord } from '../../core/records.js';
import { SchemaIds, SchemaRegistry } from '../../core/schemas.js';
import { rfc3339 } from '../../core/time.js';

const schemas = new SchemaRegistry();

describe('planner_input.v1 builder', () => {
  it('is schema-valid, puts universe_id at the top level and clamps bad issue fields', () => {
    const input = buildPlannerInput({
      issue: {
        id: 'X-1',
        dk_priority: 'P9',
        dk_risk: 'extreme',
        dk_size: 'XXL',
        dk_attempts: -3,
        tags: ['a', '  ', 'b'],
        title: 'Fix the walkable library',
      },
      universeId: 'medica',
      universeDefaults: { swarm_id: 'speculate_vote' },
      now: Date.UTC(2023, 10, 14, 22, 13, 20),
    });
    expect(schemas.validate(SchemaIds.plannerInput, input).errors).toEqual([]);
    expect(input.universe_id).toBe('medica');
    expect(input.universe_defaults).toEqual({ swarm_id: 'speculate_vote', objective_id: null });
    expect(input.issue).toMatchObject({
      dk_priority: 'P2',
      dk_risk: 'medium',
      dk_size: 'M',
      dk_attempts: 0,
      tags: ['a', 'b'],
    });
    expect(input.issue.keywords).toEqual(['library', 'walkable']);
    expect(input.created_at).toBe('2023-11-14T22:13:20Z');
    expect(input.job_type).toBe('code');
  });

  it('derives fab-world from the asset:world tag', () => {
    expect(buildPlannerInput({ issue: { id: 'w', tags: ['asset:world'] }, now: 0 }).job_type).toBe('fab-world');
  });

  it('the spec builder shape (universe_id inside universe_defaults) is schema-invalid, ours is not', () => {
    const ours = buildPlannerInput({ issue: { id: 'x' }, now: 0 });
    const specStyle = { ...ours, universe_defaults: { ...ours.universe_defaults, universe_id: 'unknown' } };
    expect(schemas.validate(SchemaIds.plannerInput, specStyle).valid).toBe(false);
  });
});

describe('records', () => {
  it('writes created_at like the Python planner', () => {
    expect(rfc3339(Date.UTC(2023, 10, 14, 22, 13, 20))).toBe('2023-11-14T22:13:20Z');
    expect(rfc3339(Date.UTC(2023, 10, 14, 22, 13, 20, 123))).toBe('2023-11-14T22:13:20.123000Z');
  });

  it('hashes the canonical input without created_at', () => {
    const a = buildPlannerInput({ issue: { id: 'x', tags: ['b', 'a'] }, now: 0 });
    const b = { ...a, created_at: '2030-01-01T00:00:00Z' };
    expect(inputHash(a as never)).toBe(inputHash(b as never));
    expect(inputHash(a as never)).toMatch(/^[0-9a-f]{64}$/);
    expect(inputHash({ ...a, job_type: 'fab-world' } as never)).not.toBe(inputHash(a as never));
  });

  it('writes canonical JSON with sorted keys, compact separators, raw non-ASCII and Python floats', () => {
    expect(canonicalJson({ b: 1, a: [1.5, 'é', null, true], c: { z: 1e-5, y: 1e16 } })).toBe(
      '{"a":[1.5,"é",null,true],"b":1,"c":{"y":1e+16,"z":1e-05}}',
    );
    expect(pythonNumber(0.1)).toBe('0.1');
    expect(pythonNumber(123456.789)).toBe('123456.789');
    expect(pythonNumber(2.5e-7)).toBe('2.5e-07');
  });

  it('planner_action.v1 records validate, with probs under the Python head keys', () => {
    const input = buildPlannerInput({ issue: { id: 'x' }, now: 0 });
    const record = plannerActionRecord(
      {
        swarm_id: 'serial_handoff',
        max_candidates_bin: 1,
        max_minutes_bin: 30,
        max_iterations_bin: 'NA',
        confidence: 0.7,
        abstain_to_default: false,
        reason: null,
        caps_applied: [],
      },
      {
        input,
        checkpointId: 'v1',
        now: 0,
        probs: {
          swarm: [0.7, 0.3],
          candidates: [1, 0, 0, 0],
          minutes: [0, 1, 0, 0, 0, 0],
          iterations: [0, 0, 0, 0, 1],
        },
      },
    );
    expect(schemas.validate(SchemaIds.plannerAction, record).errors).toEqual([]);
    expect(Object.keys(record.probs!)).toEqual([
      'swarm_id',
      'max_candidates_bin',
      'max_minutes_bin',
      'max_iterations_bin',
    ]);
    expect(schemas.validate(SchemaIds.plannerAction, { ...record, caps_applied: [] }).valid).toBe(false);
  });
});
