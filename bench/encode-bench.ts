/**
 * Encode cost per input (µs, median of many runs) for features.v1 and tokens.v1 on a realistic planner input
 * (8 history runs, 10 tags, 8 keywords, full system state), single and per item in a batch of 64.
 * `cold` runs use a fresh encoder each time (no hash memo warm-up); `warm` runs reuse one encoder.
 */
import { performance } from 'node:perf_hooks';
import type { InputEncoder } from '../core/encoders/encoder.js';
import { createFeaturesEncoder } from '../core/encoders/features-encoder.js';
import { createTokensEncoder } from '../core/encoders/tokens-encoder.js';
import { buildFixedVocabTokens, vocabFromTokens, type Vocab } from '../core/encoders/vocab.js';
import { buildPlannerInput } from '../core/planner-input.js';
import type { PlannerInputV1, RunSummary } from '../core/planner-input-types.js';
import { median } from './stats.js';

const NOW = Date.UTC(2026, 0, 15, 12);

export function realisticInput(variant = 0): PlannerInputV1 {
  const history: RunSummary[] = Array.from({ length: 8 }, (_, i) => ({
    run_id: `wc-${variant}-${i}`,
    started_ms: NOW - (i + 1) * 3_600_000 * 9,
    job_type: 'code',
    domain: 'code',
    action_executed: {
      swarm_id: i % 2 ? 'serial_handoff' : 'speculate_vote',
      max_candidates: 1 + (i % 3),
      max_minutes: [15, 30, 60][i % 3],
      max_iterations: null,
    },
    outcome: {
      status: (['success', 'failed', 'timeout'] as const)[i % 3],
      fail_codes: i % 3 === 1 ? ['lint', `stage_failed:step${i}`] : [],
      gates: [
        { name: 'pytest', passed: i % 2 === 0 },
        { name: 'lint', passed: i % 3 !== 1 },
      ],
    },
    runtime: { duration_ms: 30_000 + i * 250_000 },
    cost_usd_est: i % 4 === 0 ? null : 0.05 * (i + 1),
  }));
  return buildPlannerInput({
    issue: {
      id: `issue-${variant}`,
      title: `Walkable library lighting regression ${variant}`,
      description: 'Lighting in the library is too dark after the shader cache change; render gate flaky.',
      dk_priority: 'P1',
      dk_risk: 'high',
      dk_size: 'M',
      dk_tool_hint: 'codex',
      dk_attempts: 1,
      tags: [
        'kernel',
        'gate:test',
        'area:render',
        'lang:python',
        'lang:ts',
        'team:core',
        'perf',
        'flaky',
        'needs-review',
        `v${variant}`,
      ],
    },
    now: NOW,
    history,
    universeId: 'medica',
    universeDefaults: { swarm_id: 'speculate_vote', objective_id: 'realism_perf_v1' },
    systemState: {
      active_workcells_bin: '1_2',
      queue_depth_bin: '3_5',
      available_toolchains: ['codex', 'claude'],
      toolchain_health: null,
      hour_bucket: '12',
      budget_remaining_bin: null,
    },
  });
}

/** Median µs per input of `runs` timed calls, each encoding `inputs`. */
function timePerInput(make: () => InputEncoder, inputs: PlannerInputV1[], runs: number, fresh: boolean): number {
  let enc = make();
  for (let i = 0; i < 20; i++) enc.encodeBatch(inputs); // JIT warm-up
  const samples: number[] = [];
  for (let r = 0; r < runs; r++) {
    if (fresh) enc = make();
    const t0 = performance.now();
    enc.encodeBatch(inputs);
    samples.push(((performance.now() - t0) * 1000) / inputs.length);
  }
  return Number(median(samples).toFixed(2));
}

export async function benchEncode(): Promise<Record<string, number>> {
  const vocab: Vocab = vocabFromTokens(buildFixedVocabTokens());
  const features = (): InputEncoder => createFeaturesEncoder();
  const tokens = (): InputEncoder => createTokensEncoder(vocab, 512);
  const one = [realisticInput()];
  const batch = Array.from({ length: 64 }, (_, i) => realisticInput(i));
  return {
    'encode.features.single_warm_us': timePerInput(features, one, 2000, false),
    'encode.features.single_cold_us': timePerInput(features, one, 500, true),
    'encode.features.batch64_per_item_us': timePerInput(features, batch, 200, false),
    'encode.tokens.single_warm_us': timePerInput(tokens, one, 2000, false),
    'encode.tokens.single_cold_us': timePerInput(tokens, one, 500, true),
    'encode.tokens.batch64_per_item_us': timePerInput(tokens, batch, 200, false),
  };
}
