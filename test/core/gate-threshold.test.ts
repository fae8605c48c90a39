/**
 * The gate's boundary: a model answer whose confidence equals the threshold is taken (`confidence < threshold` falls
 * back, `<=` would not be the spec). Checked exactly at the threshold and one float step on each side.
 */
import { describe, expect, it } from 'vitest';
import { BackendRegistry } from '../../core/backend/registry.js';
import { resolveInferenceConfig } from '../../core/inference-config.js';
import { buildPlannerInput } from '../../core/planner-input.js';
import { PlannerInference } from '../../core/planner-inference.js';
import { heuristicPlugin } from '../../plugins/heuristic/heuristic-plugin.js';
import { makeScriptedBundle, prefer, scriptedPlugin } from '../support/scripted-plugin.js';

const NOW = Date.UTC(2026, 10, 24, 9, 0, 0);
const INPUT = buildPlannerInput({
  issue: { id: 'G-1', dk_risk: 'low', dk_size: 'S', title: 'Gate boundary' },
  now: NOW,
});
// speculate_vote, 2 candidates, 30 minutes, NA; strength 1 keeps the confidence well inside (0, 1).
const MODEL_ACTION = {
  swarm_id: 'speculate_vote',
  max_candidates_bin: 2,
  max_minutes_bin: 30,
  max_iterations_bin: 'NA',
};
// The heuristic for a low-risk S code issue.
const HEURISTIC_ACTION = {
  swarm_id: 'serial_handoff',
  max_candidates_bin: 1,
  max_minutes_bin: 30,
  max_iterations_bin: 'NA',
};
const bundle = makeScriptedBundle(); // removed after the file by test/support/cleanup-setup.ts

/** The float64 right next to `x` upwards (+1) or downwards (-1); x > 0. */
function step(x: number, dir: 1 | -1): number {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x);
  view.setBigUint64(0, view.getBigUint64(0) + BigInt(dir));
  return view.getFloat64(0);
}

async function predictAt(threshold: number) {
  const registry = new BackendRegistry()
    .register(heuristicPlugin)
    .register(scriptedPlugin({ script: () => prefer({ swarm: 1, candidates: 1, minutes: 1, iterations: 4 }, 1) }));
  const config = resolveInferenceConfig({ modelPath: bundle, modelType: 'scripted', confidenceThreshold: threshold });
  const planner = await PlannerInference.create(config, { registry, clock: () => NOW });
  try {
    return await planner.predict(INPUT);
  } finally {
    await planner.dispose();
  }
}

describe('the gate at its confidence threshold', () => {
  it('takes the model action at the threshold and just below it, and falls back just above it', async () => {
    const free = await predictAt(0);
    const c = free.trace.confidence!;
    expect(c).toBeGreaterThan(0.05);
    expect(c).toBeLessThan(0.95);
    const probs = free.record.probs!;
    expect(Object.keys(probs).sort()).toEqual([
      'max_candidates_bin',
      'max_iterations_bin',
      'max_minutes_bin',
      'swarm_id',
    ]);

    for (const threshold of [step(c, -1), c]) {
      const out = await predictAt(threshold);
      expect(out.action, `threshold ${threshold}`).toMatchObject({
        ...MODEL_ACTION,
        abstain_to_default: false,
        reason: null,
        confidence: c,
      });
      expect(out.record.probs, `threshold ${threshold}`).toEqual(probs);
    }

    const above = await predictAt(step(c, 1));
    expect(above.action).toMatchObject({
      ...HEURISTIC_ACTION,
      abstain_to_default: true,
      reason: `low_confidence_${c.toFixed(3)}`,
    });
    expect(above.record.probs).toBeUndefined();
    expect(above.trace.modelAction).toMatchObject(MODEL_ACTION);
    expect(above.trace.confidence).toBe(c);
  });
});
