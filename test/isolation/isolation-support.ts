/** Shared setup for the isolation tests: a registry with the test backends, planners in either isolation mode. */
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BackendRegistry } from '../../core/backend/registry.js';
import type { BackendPlugin } from '../../core/backend/plugin.js';
import { resolveInferenceConfig, type InferenceConfigInput } from '../../core/inference-config.js';
import { buildPlannerInput } from '../../core/planner-input.js';
import { PlannerInference } from '../../core/planner-inference.js';
import { heuristicPlugin } from '../../plugins/heuristic/heuristic-plugin.js';
import { makeScriptedBundle } from '../support/scripted-plugin.js';
import { makeTempDir } from '../support/temp-dir.js';

export const PLUGIN_MODULE = join(dirname(fileURLToPath(import.meta.url)), '..', 'support', 'isolation-plugins.mjs');
export const NOW = Date.UTC(2026, 10, 24, 9, 0, 0);

const testPlugins = (await import(PLUGIN_MODULE)) as { plugins: BackendPlugin[] };

export function input(id: string, over: Record<string, unknown> = {}) {
  return buildPlannerInput({ issue: { id, dk_risk: 'low', dk_size: 'S', title: `Issue ${id}`, ...over }, now: NOW });
}

export function registry(): BackendRegistry {
  const r = new BackendRegistry().register(heuristicPlugin);
  for (const p of testPlugins.plugins) r.register(p);
  return r;
}

export async function planner(
  config: InferenceConfigInput,
  opts: { localPlugins?: boolean } = {},
): Promise<PlannerInference> {
  const resolved = resolveInferenceConfig({ modelPath: makeScriptedBundle(), loadTimeoutMs: 20_000, ...config });
  // The parent's registry knows only the heuristic unless asked: the test backends reach the child via `plugins`.
  const reg = opts.localPlugins ? registry() : new BackendRegistry().register(heuristicPlugin);
  return PlannerInference.create(resolved, {
    registry: reg,
    clock: () => NOW,
    isolation: { plugins: [PLUGIN_MODULE] },
  });
}

export function pidDir(): string {
  return makeTempDir('cyntra-iso-pids-');
}

export async function waitForPid(dir: string, timeoutMs = 20_000): Promise<number> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    const found = readdirSync(dir);
    if (found.length > 0) return Number(found[0]);
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`no worker pid appeared in ${dir}`);
}

/** Predicts until the model (not a fallback) answers; the pool may still be replacing a worker. */
export async function untilModelAnswers(p: PlannerInference, id: string, tries = 100) {
  for (let i = 0; i < tries; i++) {
    const out = await p.predict(input(id));
    if (!/^(inference_|model_unavailable)/.test(out.action.reason ?? '')) return out;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('the model never answered again');
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
