import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { InferenceConfigInput } from '../../core/inference-config.js';
import { defaultWorkerEntry } from '../../core/isolation/load-isolated-model.js';
import { input, planner } from './isolation-support.js';

const ids = Array.from({ length: 120 }, (_, i) => `C-${i}`);

async function concurrentEqualsSerial(config: InferenceConfigInput, local: boolean) {
  const p = await planner({ modelType: 'echo', timeoutMs: 60_000, ...config }, { localPlugins: local });
  try {
    const serial = [];
    for (const id of ids) serial.push((await p.predict(input(id))).action);
    const concurrent = (await Promise.all(ids.map((id) => p.predict(input(id))))).map((o) => o.action);
    const batched = (await p.predictMany(ids.map((id) => input(id)))).map((o) => o.action);
    expect(concurrent).toEqual(serial);
    expect(batched).toEqual(serial);
    // the echo backend answers differently per issue, so equal lists are not trivially equal
    expect(new Set(serial.map((a) => JSON.stringify(a))).size).toBeGreaterThan(3);
    expect(serial.every((a) => !/^inference_|model_unavailable/.test(a.reason ?? ''))).toBe(true);
  } finally {
    await p.dispose();
  }
}

describe('concurrent predictions equal serial ones', () => {
  it('in-process', async () => {
    await concurrentEqualsSerial({}, true);
  });

  it.runIf(existsSync(defaultWorkerEntry()))('process pool of 3', async () => {
    await concurrentEqualsSerial({ isolation: 'process', poolSize: 3 }, false);
  });
});
