// Test-only backends for the isolation tests. Plain ESM JavaScript (not TypeScript) because the forked isolation
// worker runs on Node 20 without a TypeScript loader and imports this file through `planner.plugins`.
// - echo:        deterministic logits derived from the issue id; never slow.
// - blocking:    like echo, but busy-waits synchronously (`blockMs`, default 5000) for issues whose id starts with
//                "block-", the way a native session.run blocks the event loop. Writes its pid to `pidDir` first.
// - hang-load:   createSession never returns (synchronous busy loop).
// - crash-load:  createSession kills its own process.
// - tamper-load: like echo, but createSession (in the child, after the child's own bundle checks) rewrites the
//                bundle's `scripted.json`: the bundle the parent then reads is not the one the child checked.
import { existsSync, writeFileSync, writeSync } from 'node:fs';
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

// - features-echo: a features backend (d_in 3779) whose logits are checksums of each item's encoded row, so any
//                  word that changed on the way to the child changes the answer. For the frame-pipe tests it can
//                  also spoil its own reply on fd 4 (the frame pipe): issues "tear-*" write half a frame and then
//                  kill the process; issues "garble-*" write a frame with a wrong magic number before answering.
const D_IN = 3779;

function rowChecksums(data, row) {
  const words = new Uint32Array(data.buffer, data.byteOffset + row * D_IN * 4, D_IN);
  let a = 0;
  let b = 0;
  for (let j = 0; j < D_IN; j++) {
    a = Math.imul(a ^ words[j], 16777619) >>> 0;
    b = (b + words[j] * (j + 1)) % 2147483647;
  }
  return [a, b];
}

function checksumLogits(data, row) {
  const [a, b] = rowChecksums(data, row);
  const out = {};
  let k = 0;
  for (const [head, n] of Object.entries(HEADS)) {
    out[head] = Float32Array.from({ length: n }, (_, j) => ((((a >>> (k + j)) ^ (b >>> j)) & 1023) - 512) / 97);
    k += 5;
  }
  return out;
}

function spoil(inputs) {
  const id = (i) => String(i.issue.issue_id);
  if (inputs.some((i) => id(i).startsWith('tear-'))) {
    const half = Buffer.alloc(4 + 40);
    half.writeUInt32LE(100_000, 0); // promises 100 kB, sends 40 bytes, dies
    writeSync(4, half);
    process.kill(process.pid, 'SIGKILL');
  }
  if (inputs.some((i) => id(i).startsWith('garble-'))) {
    const bad = Buffer.alloc(4 + 40);
    bad.writeUInt32LE(40, 0); // a whole frame of zeros: no magic number
    writeSync(4, bad);
  }
}

plugins.push(
  plugin('features-echo', async () => ({
    backend: 'features-echo',
    input: { kind: 'features', dIn: D_IN },
    info: { pid: process.pid },
    async infer(batch) {
      spoil(batch.inputs);
      return Array.from({ length: batch.encoded.size }, (_, row) => checksumLogits(batch.encoded.data, row));
    },
    async dispose() {},
  })),
);
