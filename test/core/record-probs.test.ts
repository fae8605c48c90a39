/** A record's `probs` describe its own action: present when the model's decode is used, absent on a fallback. */
import { describe, expect, it } from 'vitest';
import { BackendRegistry } from '../../core/backend/registry.js';
import { resolveInferenceConfig } from '../../core/inference-config.js';
import { buildPlannerInput } from '../../core/planner-input.js';
import { PlannerInference } from '../../core/planner-inference.js';
import { SchemaIds, SchemaRegistry } from '../../core/schemas.js';
import { heuristicPlugin } from '../../plugins/heuristic/heuristic-plugin.js';
import { makeScriptedBundle, prefer, scriptedPlugin } from '../support/scripted-plugin.js';

const input = buildPlannerInput({ issue: { id: 'P-1', dk_size: 'XS' }, now: 0 });
const pick = { swarm: 1, candidates: 2, minutes: 3, iterations: 4 };

async function plannerWith(strength: number) {
  const registry = new BackendRegistry()
    .register(heuristicPlugin)
    .register(scriptedPlugin({ script: () => prefer(pick, strength) }));
  return PlannerInference.create(
    resolveInferenceConfig({ modelPath: makeScriptedBundle(), modelType: 'scripted', timeoutMs: 60_000 }),
    { registry },
  );
}

describe('record probs', () => {
  it('keeps the model probabilities when the model decides, drops them on a low-confidence fallback', async () => {
    const schemas = new SchemaRegistry();
    const sure = await plannerWith(10);
    const used = await sure.predict(input);
    expect(used.record.abstain_to_default).toBe(false);
    expect(used.record.probs?.swarm_id[1]).toBeGreaterThan(0.99);
    expect(schemas.validate(SchemaIds.plannerAction, used.record).errors).toEqual([]);
    await sure.dispose();

    const unsure = await plannerWith(0.3);
    const fell = await unsure.predict(input);
    expect(fell.record.reason).toMatch(/^low_confidence_/);
    expect(fell.record.swarm_id).toBe('serial_handoff');
    expect(fell.record).not.toHaveProperty('probs');
    expect(fell.trace.probs?.swarm[1]).toBeGreaterThan(0.5); // the model's view is still in the trace
    expect(fell.trace.modelAction?.swarm_id).toBe('speculate_vote');
    expect(schemas.validate(SchemaIds.plannerAction, fell.record).errors).toEqual([]);
    await unsure.dispose();
  });
});
