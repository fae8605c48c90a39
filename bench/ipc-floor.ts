/**
 * The transport floor on this machine: a bare child-process ping-pong (no model, no planner) with the isolation
 * payload sizes (features batch out, 17 logits per item back), over the IPC channel (`advanced` serialization) and
 * over an extra stdio pipe with length-prefixed binary frames. Interleaved rounds, p50/p90/p99 per contender.
 *
 *   node dist/bench/ipc-floor.js [rounds=30] [perRound=50]
 */
import { fork, type ChildProcess } from 'node:child_process';
import { openSync, readSync, writeSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Socket } from 'node:net';
import { Socket as NetSocket } from 'node:net';
import { interleaved, summarize } from './stats.js';

const D_IN = 3779;
const OUT_PER_ITEM = 17;

const SHM = '/dev/shm/ipc-floor-bench';

function childMain(): void {
  const fd = openSync(SHM, 'r');
  let scratch = Buffer.allocUnsafeSlow(16);
  process.on('message', (m: { data: Float32Array; n: number }) => {
    process.send?.({ packed: new Float32Array(m.n * OUT_PER_ITEM) });
  });
  const sock = new NetSocket({ fd: 4, readable: true, writable: true });
  let pending: Buffer[] = [];
  let have = 0;
  let need = -1;
  sock.on('data', (chunk: Buffer) => {
    pending.push(chunk);
    have += chunk.length;
    for (;;) {
      if (need < 0) {
        if (have < 4) return;
        const head = Buffer.concat(pending);
        pending = [head];
        need = head.readUInt32LE(0) + 4;
      }
      if (have < need) return;
      const all = Buffer.concat(pending, have);
      const n = all.readUInt32LE(4);
      const fileBytes = all.length >= 12 ? all.readUInt32LE(8) : 0;
      if (all.length === 12 && fileBytes > 0) {
        if (scratch.length < fileBytes) scratch = Buffer.allocUnsafeSlow(fileBytes);
        readSync(fd, scratch, 0, fileBytes, 0);
      }
      const reply = Buffer.allocUnsafe(8 + n * OUT_PER_ITEM * 4);
      reply.writeUInt32LE(reply.length - 4, 0);
      reply.writeUInt32LE(n, 4);
      sock.write(reply);
      const rest = all.subarray(need);
      pending = rest.length ? [rest] : [];
      have = rest.length;
      need = -1;
    }
  });
  process.on('disconnect', () => process.exit(0));
}

function ipcCall(child: ChildProcess, data: Float32Array, n: number): Promise<unknown> {
  return new Promise((resolve) => {
    child.once('message', resolve);
    child.send({ data, n });
  });
}

function pipeCaller(sock: Socket): (frame: Buffer) => Promise<Buffer> {
  let resolve: ((b: Buffer) => void) | null = null;
  let pending: Buffer[] = [];
  let have = 0;
  sock.on('data', (chunk: Buffer) => {
    pending.push(chunk);
    have += chunk.length;
    const head = pending.length === 1 ? pending[0] : Buffer.concat(pending);
    if (have >= 4 && have >= head.readUInt32LE(0) + 4) {
      pending = [];
      have = 0;
      resolve?.(head);
    }
  });
  return (frame) =>
    new Promise((r) => {
      resolve = r;
      sock.write(frame);
    });
}

async function main(): Promise<void> {
  const rounds = Number(process.argv[2] ?? 30);
  const perRound = Number(process.argv[3] ?? 50);
  const shm = openSync(SHM, 'w+');
  const child = fork(fileURLToPath(import.meta.url), ['child'], {
    serialization: 'advanced',
    stdio: ['ignore', 'inherit', 'inherit', 'ipc', 'pipe'],
  });
  const sock = child.stdio[4] as Socket;
  const call = pipeCaller(sock);
  const contenders: Record<string, () => Promise<unknown>> = {};
  for (const n of [1, 64]) {
    const data = new Float32Array(n * D_IN).map((_, i) => i % 7);
    const frame = Buffer.allocUnsafe(8 + data.byteLength);
    frame.writeUInt32LE(frame.length - 4, 0);
    frame.writeUInt32LE(n, 4);
    Buffer.from(data.buffer).copy(frame, 8);
    contenders[`ipc_advanced.b${n}`] = () => ipcCall(child, data, n);
    contenders[`pipe_binary.b${n}`] = () => {
      Buffer.from(data.buffer, data.byteOffset, data.byteLength).copy(frame, 8);
      return call(frame);
    };
    const small = Buffer.alloc(12);
    small.writeUInt32LE(8, 0);
    small.writeUInt32LE(n, 4);
    small.writeUInt32LE(data.byteLength, 8);
    contenders[`shm_file.b${n}`] = () => {
      writeSync(shm, new Uint8Array(data.buffer, data.byteOffset, data.byteLength), 0, data.byteLength, 0);
      return call(small);
    };
  }
  const samples = await interleaved(contenders, rounds, perRound);
  for (const [name, s] of Object.entries(samples)) {
    const st = summarize(s);
    process.stdout.write(
      `${name.padEnd(20)} p50 ${(st.p50Ms * 1000).toFixed(0).padStart(6)} µs  p90 ${(st.p90Ms * 1000).toFixed(0).padStart(6)} µs  p99 ${(st.p99Ms * 1000).toFixed(0).padStart(6)} µs\n`,
    );
  }
  child.kill();
}

if (process.argv[2] === 'child') childMain();
else await main();
