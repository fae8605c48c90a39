/**
 * Random planner inputs for the fuzz tests: well-formed ones built through `buildPlannerInput` from random issues
 * and histories, and mutated ones (wrong types, missing keys, huge or hostile values) made from them.
 */
import type { PlannerInputV1, RunSummary } from '../../core/planner-input-types.js';
import { buildPlannerInput } from '../../core/planner-input.js';
import type { Prng } from './fuzz-prng.js';

const RISKS = ['low', 'medium', 'high', 'critical', 'LOW', 'bogus', '', null];
const SIZES = ['XS', 'S', 'M', 'L', 'XL', 'XXL', null];
const PRIORITIES = ['P0', 'P1', 'P2', 'P3', 'P9', null];
const TAGS = ['asset:world', 'bug', 'parser', 'infra', 'ui', '', 'x'.repeat(300)];
const STATUSES = ['success', 'failed', 'timeout'] as const;
const HOSTILE: unknown[] = [
  null,
  undefined,
  NaN,
  Infinity,
  -Infinity,
  -1,
  0,
  1e308,
  -0,
  '',
  'NA',
  [],
  {},
  true,
  2 ** 53 + 1,
  '\u0000',
  { __proto__: { polluted: true } },
];

function randomRun(rng: Prng, i: number): RunSummary {
  const maybe = <T>(v: T): T | null => (rng.chance(0.2) ? null : v);
  return {
    run_id: `run-${i}-${rng.int(1e6)}`,
    started_ms: rng.int(2e12),
    job_type: rng.pick(['code', 'fab-world', 'weird']),
    domain: rng.pick(['code', 'asset', '']),
    action_executed: {
      swarm_id: maybe(rng.pick(['serial_handoff', 'speculate_vote', 'unknown_swarm'])),
      max_candidates: maybe(rng.int(8)),
      max_minutes: maybe(rng.int(500)),
      max_iterations: maybe(rng.int(20)),
    },
    outcome: {
      status: rng.pick(STATUSES),
      fail_codes: rng.chance(0.5) ? ['E1', rng.text(5)] : [],
      gates: [{ name: 'tests', passed: rng.chance(0.5), score: rng.next() }],
    },
    runtime: { duration_ms: rng.int(1e8) },
  };
}

export function randomInput(rng: Prng, now: number): PlannerInputV1 {
  const issue = {
    id: rng.chance(0.05) ? '' : `I-${rng.int(1e6)}`,
    title: rng.text(rng.int(rng.chance(0.05) ? 5000 : 60)),
    description: rng.chance(0.3) ? null : rng.text(rng.int(400)),
    dk_priority: rng.pick(PRIORITIES),
    dk_risk: rng.pick(RISKS),
    dk_size: rng.pick(SIZES),
    dk_tool_hint: rng.chance(0.5) ? null : rng.pick(['codex', 'claude', rng.text(10)]),
    dk_attempts: rng.chance(0.1) ? null : rng.int(rng.chance(0.05) ? 1e9 : 6),
    tags: Array.from({ length: rng.int(6) }, () => rng.pick(TAGS)),
  };
  const history = Array.from({ length: rng.int(12) }, (_, i) => randomRun(rng, i));
  return buildPlannerInput({ issue, now: now + rng.int(1e10), history, universeId: rng.pick(['u1', '', 'unknown']) });
}

/** Paths of every value inside a JSON-like value, for picking one to mutate. */
function paths(
  value: unknown,
  prefix: (string | number)[] = [],
  out: (string | number)[][] = [],
): (string | number)[][] {
  out.push(prefix);
  if (value && typeof value === 'object')
    for (const [k, v] of Object.entries(value)) paths(v, [...prefix, Array.isArray(value) ? Number(k) : k], out);
  return out;
}

/** A deep copy of `input` with 1–4 random mutations: values replaced by hostile ones, keys deleted, arrays blown up. */
export function mutateInput(rng: Prng, input: PlannerInputV1): PlannerInputV1 {
  const copy = structuredClone(input) as unknown as Record<string, unknown>;
  for (let n = 1 + rng.int(4); n > 0; n--) {
    const all = paths(copy).filter((p) => p.length > 0);
    const path = rng.pick(all);
    const parent = path
      .slice(0, -1)
      .reduce<unknown>((o, k) => (o as Record<string, unknown>)[k as string], copy) as Record<string, unknown>;
    const key = path[path.length - 1] as string;
    const op = rng.int(4);
    if (op === 0) delete parent[key];
    else if (op === 1) parent[key] = rng.pick(HOSTILE);
    else if (op === 2) parent[key] = rng.text(rng.int(50));
    else parent[key] = Array.from({ length: rng.int(3) === 0 ? 2000 : 3 }, () => rng.pick(HOSTILE));
  }
  return copy as unknown as PlannerInputV1;
}
