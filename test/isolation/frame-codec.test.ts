/**
 * The isolation pipe's frames without processes: exact round trips (packed logits, features, tokens, the extra
 * objects, inline and through a shared file), reassembly from chunks split anywhere, and malformed frames, each a
 * WorkerFrameError (WORKER_FRAME_INVALID).
 */
import { describe, expect, it } from 'vitest';
import type { HeadLogits } from '../../core/backend/plugin.js';
import type { EncodedBatch } from '../../core/encoders/encoder.js';
import { ErrorCodes } from '../../core/errors.js';
import {
  readInferRequest,
  readReply,
  writeError,
  writeInferRequest,
  writeResult,
} from '../../core/isolation/frame-codec.js';
import { FRAME_PREFIX_BYTES } from '../../core/isolation/frame-layout.js';
import { FrameReader, FrameView } from '../../core/isolation/frame-reader.js';
import { FrameWriter } from '../../core/isolation/frame-writer.js';
import { SharedFile } from '../../core/isolation/shared-file.js';
import { makeTempDir } from '../support/temp-dir.js';
import { input } from './isolation-support.js';

const item = (seed: number, widths = [2, 4, 6, 5]): HeadLogits => {
  const [s, c, m, i] = widths.map((w, k) =>
    Float32Array.from({ length: w }, (_, j) => Math.fround(Math.sin(seed * 7 + k * 3 + j) * 1e3)),
  );
  return { swarm: s, candidates: c, minutes: m, iterations: i };
};

/** A features batch whose words include -0, a NaN with a payload and denormals: all must cross bit for bit. */
function features(size: number, dIn = 3779): EncodedBatch & { kind: 'features' } {
  const data = new Float32Array(size * dIn).map((_, i) => (i % 11 === 0 ? Math.fround(Math.cos(i) * 7) : 0));
  const words = new Uint32Array(data.buffer);
  words[1] = 0x80000000; // -0
  words[2] = 0x7fc01234; // NaN with a payload
  words[3] = 0x00000001; // smallest denormal
  return { kind: 'features', size, dIn, data };
}

const bits = (v: ArrayBufferView) => Buffer.from(v.buffer, v.byteOffset, v.byteLength);

/** Frame bytes → the body the reader would hand over (8-byte aligned, owned). */
function bodiesOf(frame: Buffer, chunk = frame.length): Buffer[] {
  const out: Buffer[] = [];
  const reader = new FrameReader((b) => out.push(b));
  for (let at = 0; at < frame.length; at += chunk) reader.push(Buffer.from(frame.subarray(at, at + chunk)));
  expect(reader.idle).toBe(true);
  return out;
}

function expectFrameError(fn: () => unknown): void {
  expect(fn).toThrow(expect.objectContaining({ code: ErrorCodes.WORKER_FRAME_INVALID, name: 'WorkerFrameError' }));
}

describe('isolation frames: replies', () => {
  it('packed logits round-trip every value and every length exactly, odd widths, NaN and an empty batch included', () => {
    const logits = [item(1), item(2, [2, 3, 6, 7]), item(3, [0, 4, 1, 5]), item(4)];
    logits[1].minutes[2] = NaN;
    logits[3].swarm[0] = -Infinity;
    const w = new FrameWriter();
    const [body] = bodiesOf(Buffer.from(writeResult(w, 7, logits)));
    const reply = readReply(body);
    expect(reply).toEqual({ id: 7, logits });
    expect(Object.is((reply as { logits: HeadLogits[] }).logits[1].minutes[2], NaN)).toBe(true);
    expect(readReply(bodiesOf(Buffer.from(writeResult(w, 8, [])))[0])).toEqual({ id: 8, logits: [] });
  });

  it('answers that are not all Float32Array cross as they are (v8-serialized), never rounded', () => {
    const plain = { ...item(1), swarm: [0.1, 0.2] } as unknown as HeadLogits;
    const f64 = { ...item(2), minutes: Float64Array.of(0.1, 0.2, 0.3, 0.4, 0.5, 0.6) } as unknown as HeadLogits;
    const w = new FrameWriter();
    const reply = readReply(bodiesOf(Buffer.from(writeResult(w, 1, [item(0), plain, f64])))[0]);
    expect(reply).toEqual({ id: 1, logits: [item(0), plain, f64] });
    expect((reply as { logits: HeadLogits[] }).logits[2].minutes).toBeInstanceOf(Float64Array);
  });

  it('an error reply carries the child error as it was', () => {
    const wire = { name: 'InvalidLogitsError', code: 'LOGITS_INVALID', message: 'NaN in swarm' };
    expect(readReply(bodiesOf(Buffer.from(writeError(new FrameWriter(), 3, wire)))[0])).toEqual({ id: 3, error: wire });
  });
});

describe('isolation frames: requests', () => {
  for (const via of ['inline', 'shared file'] as const) {
    it(`a features batch crosses bit for bit (${via}), b1 and b256 (3.9 MB)`, () => {
      const shared = via === 'inline' ? null : SharedFile.create(makeTempDir('cyntra-shm-'));
      if (via === 'shared file') expect(shared).not.toBeNull();
      const w = new FrameWriter(shared);
      try {
        for (const size of [1, 256]) {
          const encoded = features(size);
          const frame = Buffer.from(writeInferRequest(w, size, encoded, false, []));
          // inline, the 3.9 MB batch is in the frame; through the shared file, only its header is
          expect(frame.length > encoded.data.byteLength).toBe(via === 'inline');
          const [body] = bodiesOf(frame, 65_536);
          const call = readInferRequest(body, shared);
          expect(call.id).toBe(size);
          expect(call.inputs).toEqual([]);
          const got = call.encoded as typeof encoded;
          expect([got.kind, got.size, got.dIn]).toEqual(['features', size, 3779]);
          expect(bits(got.data).equals(bits(encoded.data))).toBe(true);
        }
      } finally {
        shared?.close();
      }
    });
  }

  it('a tokens batch (int64 ids and mask) crosses exactly, its strings and the inputs only when asked', () => {
    const ids = BigInt64Array.from({ length: 2 * 300 }, (_, i) => BigInt(i * 7919) - 5n);
    const mask = BigInt64Array.from({ length: 2 * 300 }, (_, i) => (i % 300 < 120 ? 1n : 0n));
    const encoded: EncodedBatch = {
      kind: 'tokens',
      size: 2,
      seqLen: 300,
      inputIds: ids,
      attentionMask: mask,
      tokens: [['a'], ['b', 'c']],
    };
    const inputs = [input('T-1'), input('T-2')];
    const w = new FrameWriter(SharedFile.create(makeTempDir('cyntra-shm-')));
    const bare = readInferRequest(bodiesOf(Buffer.from(writeInferRequest(w, 1, encoded, false, inputs)))[0], null);
    expect(bare.inputs).toEqual([]);
    expect(bare.encoded).toEqual({ ...encoded, tokens: [] });
    const frame = Buffer.from(writeInferRequest(w, 2, encoded, true, inputs));
    const full = readInferRequest(bodiesOf(frame)[0], null);
    expect(full.inputs).toEqual(inputs);
    expect(full.encoded).toEqual(encoded);
  });

  it('a raw batch carries the planner inputs', () => {
    const inputs = [input('R-1')];
    const call = readInferRequest(
      bodiesOf(Buffer.from(writeInferRequest(new FrameWriter(), 9, { kind: 'raw', size: 1 }, true, inputs)))[0],
      null,
    );
    expect(call).toEqual({ id: 9, inputs, encoded: { kind: 'raw', size: 1 } });
  });
});

describe('isolation frames: reassembly', () => {
  it('frames split at every byte, and several frames in one chunk, come out whole and in order', () => {
    const w = new FrameWriter();
    const frames = [1, 2, 3].map((id) => Buffer.from(writeResult(w, id, [item(id), item(id + 10)])));
    const all = Buffer.concat(frames);
    for (const chunk of [1, 3, 7, 64, all.length]) {
      const ids = bodiesOf(all, chunk).map((b) => (readReply(b) as { id: number }).id);
      expect(ids, `chunks of ${chunk}`).toEqual([1, 2, 3]);
    }
  });

  it('a frame at an odd address is copied to an aligned one', () => {
    const frame = Buffer.from(writeResult(new FrameWriter(), 5, [item(5)]));
    const odd = Buffer.alloc(frame.length + 1).subarray(1);
    frame.copy(odd);
    const out: Buffer[] = [];
    new FrameReader((b) => out.push(b)).push(odd);
    expect(out[0].byteOffset % 8).toBe(0);
    expect(readReply(out[0])).toEqual({ id: 5, logits: [item(5)] });
  });
});

describe('isolation frames: malformed', () => {
  const good = () => Buffer.from(writeResult(new FrameWriter(), 1, [item(1)]));
  const body = (frame: Buffer) => {
    const b = Buffer.allocUnsafeSlow(frame.length - FRAME_PREFIX_BYTES);
    frame.copy(b, 0, FRAME_PREFIX_BYTES);
    return b;
  };

  it('a length prefix too small or over the limit', () => {
    const tiny = Buffer.alloc(8);
    tiny.writeUInt32LE(3, 0);
    expectFrameError(() => new FrameReader(() => undefined).push(tiny));
    const huge = good();
    expectFrameError(() => new FrameReader(() => undefined, 100).push(huge));
  });

  it('a wrong magic number, version or type', () => {
    for (const [at, value] of [
      [0, 0x00],
      [2, 0x09],
      [3, 0x55],
    ]) {
      const b = body(good());
      b[at] = value;
      expectFrameError(() => readReply(b));
    }
  });

  it('sections that do not add up: past the end, wrong word counts, a shared section without a shared file', () => {
    const cut = body(good()).subarray(0, 56);
    const cutAligned = Buffer.allocUnsafeSlow(cut.length);
    cut.copy(cutAligned);
    expectFrameError(() => readReply(cutAligned));
    const b = body(good());
    b.writeUInt32LE(999, 32 + 4); // the lengths section claims 999 words
    expectFrameError(() => readReply(b));
    const encoded = features(1);
    const shared = SharedFile.create(makeTempDir('cyntra-shm-'));
    const frame = body(Buffer.from(writeInferRequest(new FrameWriter(shared), 1, encoded, false, [])));
    shared?.close();
    expectFrameError(() => readInferRequest(frame, null));
    const other = SharedFile.create(makeTempDir('cyntra-shm-')); // empty: the section lies past its end
    expectFrameError(() => readInferRequest(frame, other));
    other?.close();
  });

  it('a view of a misaligned body is refused rather than read wrongly', () => {
    const b = Buffer.alloc(body(good()).length + 4).subarray(4);
    body(good()).copy(b);
    expectFrameError(() => new FrameView(b));
  });
});
