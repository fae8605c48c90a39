/**
 * The bench registry with an onnx session that stamps each `infer` (process.hrtime, the system-wide monotonic clock)
 * so that `isolation-bench.ts` can split a round trip into parent→child, the child's infer, and child→parent. The
 * stamps stay in the child's memory; SIGUSR2 writes them to `$ISO_TIMES_DIR/<pid>.json`.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BackendPlugin, BackendSession } from '../core/backend/plugin.js';
import type { BackendRegistry } from '../core/backend/registry.js';
import { createDefaultRegistry, onnxPlugin } from '../plugins/index.js';

const stamps: number[] = [];
const now = (): number => Number(process.hrtime.bigint()) / 1e6;

process.on('SIGUSR2', () => {
  const dir = process.env.ISO_TIMES_DIR;
  if (dir) writeFileSync(join(dir, `${process.pid}.json`), JSON.stringify(stamps));
});

function timed(session: BackendSession): BackendSession {
  return {
    backend: session.backend,
    input: session.input,
    info: session.info,
    async infer(batch, options) {
      const t0 = now();
      const out = await session.infer(batch, options);
      stamps.push(t0, now());
      return out;
    },
    dispose: () => session.dispose(),
  };
}

const timedOnnx: BackendPlugin = {
  ...onnxPlugin,
  priority: onnxPlugin.priority + 1,
  createSession: async (bundle, ctx) => timed(await onnxPlugin.createSession(bundle, ctx)),
};

export async function createRegistry(): Promise<BackendRegistry> {
  const registry = createDefaultRegistry();
  registry.register(timedOnnx);
  return registry;
}
