/**
 * Reads the isolation pipe's frames (layout: `frame-layout.ts`): `FrameReader` reassembles them from stream chunks
 * of any size (a frame split anywhere, several frames in one chunk), `FrameView` checks one frame's header and
 * walks its sections. Anything that does not fit the layout is a WorkerFrameError: the stream cannot be trusted
 * after it, so the side that reads it drops the other process.
 */
import { ErrorCodes, PlannerError } from '../errors.js';
import {
  FRAME_HEADER_BYTES,
  FRAME_MAGIC,
  FRAME_PREFIX_BYTES,
  FRAME_VERSION,
  MAX_FRAME_BYTES,
  SECTION_HEADER_BYTES,
  SectionMode,
} from './frame-layout.js';
import type { SharedFile } from './shared-file.js';

export class WorkerFrameError extends PlannerError {
  constructor(message: string, context: Record<string, unknown> = {}) {
    super(ErrorCodes.WORKER_FRAME_INVALID, message, { context });
    this.name = 'WorkerFrameError';
  }
}

export class FrameReader {
  private readonly prefix = Buffer.alloc(FRAME_PREFIX_BYTES);
  private prefixHave = 0;
  private body: Buffer | null = null;
  private bodyHave = 0;

  /** `onFrame` gets each body, 8-byte aligned in memory and owned by the callee. */
  constructor(
    private readonly onFrame: (body: Buffer) => void,
    private readonly maxBytes = MAX_FRAME_BYTES,
  ) {}

  /** True between frames: no partial frame is buffered. */
  get idle(): boolean {
    return this.prefixHave === 0 && this.body === null;
  }

  /** Feeds a chunk; calls `onFrame` for every frame it completes. Throws WorkerFrameError on a bad length. */
  push(chunk: Buffer): void {
    let at = 0;
    while (at < chunk.length) {
      if (this.body === null) {
        if (this.prefixHave === 0 && chunk.length - at >= FRAME_PREFIX_BYTES) {
          const length = this.checkedLength(chunk.readUInt32LE(at));
          at += FRAME_PREFIX_BYTES;
          // A whole frame in the chunk, at an aligned address: handed over as a view, not copied.
          if (chunk.length - at >= length && (chunk.byteOffset + at) % 8 === 0) {
            const body = chunk.subarray(at, at + length);
            at += length;
            this.onFrame(body);
            continue;
          }
          this.startBody(length);
        } else {
          const take = Math.min(FRAME_PREFIX_BYTES - this.prefixHave, chunk.length - at);
          chunk.copy(this.prefix, this.prefixHave, at, at + take);
          this.prefixHave += take;
          at += take;
          if (this.prefixHave < FRAME_PREFIX_BYTES) return;
          this.prefixHave = 0;
          this.startBody(this.checkedLength(this.prefix.readUInt32LE(0)));
        }
      }
      const body = this.body as Buffer;
      const take = Math.min(body.length - this.bodyHave, chunk.length - at);
      chunk.copy(body, this.bodyHave, at, at + take);
      this.bodyHave += take;
      at += take;
      if (this.bodyHave === body.length) {
        this.body = null;
        this.onFrame(body);
      }
    }
  }

  private startBody(length: number): void {
    this.body = Buffer.allocUnsafeSlow(length);
    this.bodyHave = 0;
  }

  private checkedLength(length: number): number {
    if (length < FRAME_HEADER_BYTES || length > this.maxBytes)
      throw new WorkerFrameError(
        `isolation frame of ${length} bytes (expected ${FRAME_HEADER_BYTES}..${this.maxBytes})`,
        {
          length,
        },
      );
    return length;
  }
}

/** One frame's header, and its sections in order. */
export class FrameView {
  readonly type: number;
  readonly id: number;
  readonly size: number;
  readonly dim: number;
  readonly kind: number;
  private readonly sectionCount: number;
  private readonly u32: Uint32Array;
  private at = FRAME_HEADER_BYTES;
  private read = 0;
  private readonly extraStart: number;

  /** `shared`: the worker's shared file, where large sections may be. */
  constructor(
    readonly body: Buffer,
    private readonly shared: SharedFile | null = null,
  ) {
    if (body.length < FRAME_HEADER_BYTES || body.byteOffset % 8 !== 0)
      throw new WorkerFrameError('isolation frame shorter than its header or misaligned');
    if (body.readUInt16LE(0) !== FRAME_MAGIC || body[2] !== FRAME_VERSION)
      throw new WorkerFrameError('isolation frame with a wrong magic number or version', {
        magic: body.readUInt16LE(0),
        version: body[2],
      });
    this.u32 = new Uint32Array(body.buffer, body.byteOffset, body.length >>> 2);
    this.type = body[3];
    this.id = this.u32[1];
    this.size = this.u32[2];
    this.dim = this.u32[3];
    this.kind = this.u32[4];
    this.sectionCount = this.u32[5];
    this.extraStart = body.length - this.u32[6];
    if (this.extraStart < FRAME_HEADER_BYTES) throw new WorkerFrameError('isolation frame: extra bytes past its end');
  }

  /** The next section's 32-bit words: a view of the frame (dense) or of the bytes read from the shared file. */
  words(expected: number): Uint32Array {
    if (this.read >= this.sectionCount) throw new WorkerFrameError('isolation frame: a section is missing');
    if (this.at + SECTION_HEADER_BYTES > this.extraStart)
      throw new WorkerFrameError('isolation frame: truncated section');
    const i = this.at >>> 2;
    const [mode, words, offset] = [this.u32[i], this.u32[i + 1], this.u32[i + 2]];
    if (words !== expected)
      throw new WorkerFrameError(`isolation frame: a section of ${words} words, expected ${expected}`, {
        words,
        expected,
      });
    const start = this.at + SECTION_HEADER_BYTES;
    this.read++;
    if (mode === SectionMode.Shared) {
      this.at = start;
      return this.fromShared(offset, words);
    }
    if (mode !== SectionMode.Dense) throw new WorkerFrameError('isolation frame: bad section mode', { mode });
    const bytes = words * 4;
    if (start + bytes > this.extraStart) throw new WorkerFrameError('isolation frame: section past the frame end');
    this.at = start + bytes + ((8 - (bytes & 7)) & 7);
    return this.u32.subarray(start >>> 2, (start + bytes) >>> 2);
  }

  /** The extra bytes, after checking that every section was read and nothing lies between them and the extra. */
  extra(): Buffer {
    if (this.read !== this.sectionCount || this.at !== this.extraStart)
      throw new WorkerFrameError('isolation frame: sections and extra bytes do not add up to its length');
    return this.body.subarray(this.extraStart);
  }

  private fromShared(offset: number, words: number): Uint32Array {
    if (!this.shared) throw new WorkerFrameError('isolation frame: a shared section, but no shared file');
    let bytes: Buffer;
    try {
      bytes = this.shared.read(offset, words * 4);
    } catch (error) {
      throw new WorkerFrameError(`isolation frame: shared section unreadable (${String(error)})`, { offset, words });
    }
    return new Uint32Array(bytes.buffer, bytes.byteOffset, words);
  }
}
