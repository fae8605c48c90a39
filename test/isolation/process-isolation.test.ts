import { existsSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { SchemaIds, SchemaRegistry } from '../../core/schemas.js';
import type { PlannerInference } from '../../core/planner-inference.js';
import { input, isAlive, pidDir, planner, untilModelAnswers, waitForPid } from './isolation-support.js';
import { defaultWorkerEntry } from '../../core/isolation/load-isolated-model.js';
import { lintBundle } from '../../core/lint/lint-bundles.js';
import { makeScriptedBundle } from '../support/scripted-plugin.js';

const schemas = new SchemaRegistry();
const open: PlannerInference[] = [];
const track = (p: PlannerInference) => (open.push(p), p);
afterEach(async () => {
  for (const p of open.splice(0)) await p.dispose();
});

describe.runIf(existsSync(defaultWorkerEntry()))('isolation: process', () => {
  it('answers through a child process with the same action as in-process', async () => {
    const iso = track(await planner({ modelType: 'echo', isolation: 'process', timeoutMs: 20_000 }));
    const local = track(await planner({ modelType: 'echo', timeoutMs: 20_000 }, { localPlugins: true }));
    expect(iso.backend).toBe('echo');
    expect(iso.attempts).toEqual([]);
    const a = await iso.predict(input('I-7'));
    const b = await local.predict(input('I-7'));
    expect(a.trace.backendInfo).toMatchObject({ isolation: 'process', poolSize: 1 });
    expect(a.trace.backendInfo.pid).not.toBe(process.pid);
    expect(a.action).toEqual(b.action);
    expect(schemas.validate(SchemaIds.plannerAction, a.record).errors).toEqual([]);
  });

  it('returns inference_timeout while the blocking call is still running, kills the child and recovers', async () => {
    const pids = pidDir();
    // The child's call blocks for 10 minutes, far past the test's own timeout: returning at all proves the timeout
    // cut it off (no elapsed-time bound is asserted).
    const p = track(
      await planner({
        modelType: 'blocking',
        isolation: 'process',
        timeoutMs: 100,
        backendOptions: { blocking: { blockMs: 600_000, pidDir: pids } },
      }),
    );
    const out = await p.predict(input('block-1'));
    expect(out.action).toMatchObject({ abstain_to_default: true, reason: 'inference_timeout' });
    const stuck = await waitForPid(pids);
    await expect.poll(() => isAlive(stuck), { timeout: 5000 }).toBe(false);
    const next = await untilModelAnswers(p, 'I-2');
    expect(next.trace.backendInfo).toMatchObject({ isolation: 'process' });
    expect(schemas.validate(SchemaIds.plannerAction, next.record).errors).toEqual([]);
  });

  it('a child SIGKILLed from outside mid-call costs that call one fallback, then the pool recovers', async () => {
    const pids = pidDir();
    const p = track(
      await planner({
        modelType: 'blocking',
        isolation: 'process',
        timeoutMs: 30_000,
        backendOptions: { blocking: { blockMs: 20_000, pidDir: pids } },
      }),
    );
    const pending = p.predict(input('block-2'));
    process.kill(await waitForPid(pids), 'SIGKILL');
    const out = await pending;
    expect(out.action).toMatchObject({ abstain_to_default: true, reason: 'inference_error_WorkerCrashedError' });
    expect(out.trace.error).toMatch(/SIGKILL/);
    const next = await untilModelAnswers(p, 'I-3');
    expect(next.action.reason ?? '').not.toMatch(/^inference_/);
  });

  it('the parent re-reads the bundle under the same trusted digests as the child', async () => {
    const pinnedBundle = async () => {
      const dir = makeScriptedBundle();
      return { dir, digest: (await lintBundle(dir, { trustedDigests: [] })).digest! };
    };
    const good = await pinnedBundle();
    const trusted = track(
      await planner({ modelPath: good.dir, modelType: 'echo', isolation: 'process', trustedDigests: [good.digest] }),
    );
    expect(trusted.attempts).toEqual([]);
    expect(trusted.backend).toBe('echo');
    // the child checks the pin, then (tamper-load) changes a file: the parent's read must fail the same pin
    const bad = await pinnedBundle();
    const tampered = track(
      await planner({
        modelPath: bad.dir,
        modelType: 'tamper-load',
        isolation: 'process',
        trustedDigests: [bad.digest],
      }),
    );
    expect(tampered.backend).toBe('heuristic');
    expect(tampered.attempts).toContainEqual(
      expect.objectContaining({ backend: 'tamper-load', code: 'BUNDLE_UNTRUSTED' }),
    );
  });

  it('a load that hangs falls back to the heuristic after loadTimeoutMs, with the attempt recorded', async () => {
    const p = track(await planner({ modelType: 'hang-load', isolation: 'process', loadTimeoutMs: 1500 }));
    expect(p.backend).toBe('heuristic');
    expect(p.attempts[0]).toMatchObject({ backend: 'hang-load', code: 'WORKER_LOAD_TIMEOUT' });
    expect((await p.predict(input('I-4'))).action).toMatchObject({
      abstain_to_default: true,
      reason: 'model_unavailable',
    });
  });

  it('a load that crashes the child falls back to the heuristic, with the attempt recorded', async () => {
    const p = track(await planner({ modelType: 'crash-load', isolation: 'process' }));
    expect(p.backend).toBe('heuristic');
    expect(p.attempts[0]).toMatchObject({ backend: 'crash-load', code: 'WORKER_CRASHED' });
    expect((await p.predict(input('I-5'))).action.reason).toBe('model_unavailable');
  });

  it("a backend the child cannot load is reported with the child's own attempts", async () => {
    const p = track(await planner({ modelType: 'no-such-backend', isolation: 'process' }));
    expect(p.backend).toBe('heuristic');
    expect(p.attempts[0]).toMatchObject({ backend: 'no-such-backend', stage: 'resolve', code: 'BACKEND_UNKNOWN' });
  });

  it('a missing worker script is a recorded load failure, not a crash', async () => {
    const { PlannerInference } = await import('../../core/planner-inference.js');
    const { resolveInferenceConfig } = await import('../../core/inference-config.js');
    const { registry } = await import('./isolation-support.js');
    const config = resolveInferenceConfig({ modelPath: '/nonexistent', modelType: 'echo', isolation: 'process' });
    const p = track(
      await PlannerInference.create(config, {
        registry: registry(),
        isolation: { workerEntry: '/nonexistent/worker.js' },
      }),
    );
    expect(p.attempts[0]).toMatchObject({ code: 'WORKER_ENTRY_MISSING' });
  });

  it('dispose kills every child', async () => {
    const pids = pidDir();
    const p = await planner({
      modelType: 'blocking',
      isolation: 'process',
      poolSize: 2,
      timeoutMs: 30_000,
      backendOptions: { blocking: { blockMs: 20_000, pidDir: pids } },
    });
    const pending = p.predict(input('block-3'));
    const pid = await waitForPid(pids);
    await p.dispose();
    await expect.poll(() => isAlive(pid), { timeout: 5000 }).toBe(false);
    expect((await pending).action.reason).toMatch(/^inference_error_/);
  });
});
