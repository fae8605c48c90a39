import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { defaultWorkerEntry } from '../../core/isolation/load-isolated-model.js';
import type { PlannerInference } from '../../core/planner-inference.js';
import { input, isAlive, planner } from './isolation-support.js';

const cleanup: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanup.splice(0)) await c();
});

describe.runIf(existsSync(defaultWorkerEntry()))('isolation: a replacement worker that cannot load the model', () => {
  it('never passes the heuristic off as the model: after the respawns fail, the gate says model_unavailable', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cyntra-once-'));
    cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
    const p: PlannerInference = await planner({
      modelType: 'load-once',
      isolation: 'process',
      timeoutMs: 20_000,
      confidenceThreshold: 0,
      backendOptions: { 'load-once': { marker: join(dir, 'loaded') } },
    });
    cleanup.push(() => p.dispose());
    const first = await p.predict(input('I-1'));
    expect([first.action.abstain_to_default, first.action.reason, p.attempts]).toEqual([false, null, []]);
    const pid = first.trace.backendInfo.pid as number;
    process.kill(pid, 'SIGKILL');
    await expect.poll(() => isAlive(pid), { timeout: 5000 }).toBe(false);
    const seen: Array<string | null> = [];
    for (let i = 0; i < 50 && seen.at(-1) !== 'model_unavailable'; i++) {
      const out = await p.predict(input(`I-${i + 2}`));
      // whatever answers now is not the model: every record must say so
      expect([out.action.abstain_to_default, out.record.probs ?? null]).toEqual([true, null]);
      seen.push(out.action.reason);
      if (out.action.reason !== 'model_unavailable') await new Promise((r) => setTimeout(r, 100));
    }
    expect(seen.at(-1)).toBe('model_unavailable');
    expect(seen.every((r) => r !== null && /^(model_unavailable|inference_)/.test(r))).toBe(true);
  });
});
