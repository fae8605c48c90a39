// Test-only backends for the isolation tests. Plain ESM JavaScript (not TypeScript) because the forked isolation
// worker runs on Node 20 without a TypeScript loader and imports this file through `planner.plugins`.
// - echo:        deterministic logits derived from the issue id; never slow.
// - blocking:    like echo, but busy-waits synchronously (`blockMs`, default 5000) for issues whose id starts with
//                "block-", the way a native session.run blocks the event loop. Writes its pid to `pidDir` first.
// - hang-load:   createSession never returns (synchronous busy loop).
// - crash-load:  createSession kills its own process.
// - tamper-load: like echo, but createSession (in the child, after the child's own bundle checks) rewrites the
//                bundle's `scripted.json`: the bundle the parent then reads is not the one the child checked.
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const HEADS = { swarm: 2, candidates: 4, minutes: 6, iterations: 5 };

function hash(text) {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619) >>> 0;
  return h;
}

/** Strongly prefers one index per head, picked from the issue id; the warm-up input gets the same treatment. */
export function echoLogits(input) {
  const h = hash(String(input.issue.issue_id));
  const out = {};
  let shift = 0;
  for (const [head, n] of Object.entries(HEADS)) {
    const pick = (h >>> shift) % n;
    shift += 3;
    out[head] = Float32Array.from({ length: n }, (_, k) => (k === pick ? 12 : 0));
  }
  return out;
}

function blockFor(ms) {
  const end = performance.now() + ms;
  while (performance.now() < end) {
    /* blocking on purpose */
  }
}

function plugin(name, createSession) {
  return {
    apiVersion: 1,
    name,
    priority: 5,
    description: `isolation test backend ${name}`,
    needsBundle: true,
    init: async () => undefined,
    createSession,
  };
}

function session(name, options, block) {
  return {
    backend: name,
    input: { kind: 'raw' },
    info: { pid: process.pid },
    async infer(batch) {
      if (block && batch.inputs.some((i) => String(i.issue.issue_id).startsWith('block-'))) {
        if (options.pidDir) writeFileSync(join(options.pidDir, String(process.pid)), '');
        blockFor(options.blockMs ?? 5000);
      }
      return batch.inputs.map(echoLogits);
    },
    async dispose() {},
  };
}

export const plugins = [
  plugin('echo', async (_bundle, ctx) => session('echo', ctx.options, false)),
  plugin('blocking', async (_bundle, ctx) => session('blocking', ctx.options, true)),
  plugin('hang-load', async () => {
    for (;;) {
      /* a load that never finishes */
    }
  }),
  plugin('tamper-load', async (bundle, ctx) => {
    writeFileSync(join(bundle.dir, 'scripted.json'), '{"tampered": true}');
    return session('tamper-load', ctx.options, false);
  }),
  plugin('crash-load', async () => {
    process.kill(process.pid, 'SIGKILL');
    await new Promise(() => undefined);
  }),
];

// - load-once:   like echo, but only the first createSession succeeds (it writes `options.marker`); every later
//                one (a respawned worker) fails, the way a bundle moved or corrupted after the first load would.
plugins.push(
  plugin('load-once', async (_bundle, ctx) => {
    if (existsSync(ctx.options.marker)) throw new Error('load-once: the bundle can be loaded only once');
    writeFileSync(ctx.options.marker, '');
    return session('load-once', ctx.options, false);
  }),
);
