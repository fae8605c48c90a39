/**
 * Builds one binary frame of the isolation pipe (layout: `frame-layout.ts`) in a buffer that grows and is reused:
 * no allocation per call once it is big enough. Safe to reuse (the buffer and the shared file alike) because each
 * side has at most one frame in flight: the next request is written only after the reply to the last one came back,
 * which means the child read it all.
 */
import {
  FRAME_HEADER_BYTES,
  FRAME_MAGIC,
  FRAME_PREFIX_BYTES,
  FRAME_VERSION,
  SECTION_HEADER_BYTES,
  SectionMode,
} from './frame-layout.js';
import { SHARED_MIN_BYTES, type SharedFile } from './shared-file.js';

export class FrameWriter {
  /** Next free byte of the shared file in this frame. */
  private sharedAt = 0;

  /** `shared`: where large tensor sections go (null: all inline). */
  constructor(private readonly shared: SharedFile | null = null) {}

  private buf = Buffer.allocUnsafeSlow(16 * 1024);
  private u32 = new Uint32Array(this.buf.buffer, 0, this.buf.length >>> 2);
  /** Byte offset of the next write. */
  private at = 0;
  private sections = 0;

  begin(type: number, id: number, size: number, dim: number, kind: number): void {
    this.at = FRAME_PREFIX_BYTES + FRAME_HEADER_BYTES;
    this.ensure(this.at);
    const h = FRAME_PREFIX_BYTES;
    this.buf.writeUInt16LE(FRAME_MAGIC, h);
    this.buf[h + 2] = FRAME_VERSION;
    this.buf[h + 3] = type;
    this.u32[(h + 4) >>> 2] = id;
    this.u32[(h + 8) >>> 2] = size;
    this.u32[(h + 12) >>> 2] = dim;
    this.u32[(h + 16) >>> 2] = kind;
    this.u32[(h + 28) >>> 2] = 0;
    this.sections = 0;
    this.sharedAt = 0;
  }

  /**
   * One typed array as a section of 32-bit words, bit for bit (NaN payloads and -0 included). With `bulk`, a large
   * array goes to the shared file when there is one (one `pwrite`), else inline.
   */
  words(view: ArrayBufferView, bulk: boolean): void {
    const words = view.byteLength >>> 2;
    const fits = view.byteLength >= SHARED_MIN_BYTES && this.sharedAt + view.byteLength < 2 ** 32;
    if (bulk && fits && this.shared?.write(view, this.sharedAt)) {
      this.openSection(SectionMode.Shared, words, this.sharedAt, 0);
      this.sharedAt += view.byteLength + ((8 - (view.byteLength & 7)) & 7);
      return;
    }
    this.openSection(SectionMode.Dense, words, 0, view.byteLength);
    this.part(view);
    this.closeSection();
  }

  /** A dense section of `total` words filled by `part` calls (the heads of a batch of logits, item after item). */
  openDense(total: number): void {
    this.openSection(SectionMode.Dense, total, 0, total * 4);
  }

  part(view: ArrayBufferView): void {
    this.buf.set(new Uint8Array(view.buffer, view.byteOffset, view.byteLength), this.at);
    this.at += view.byteLength;
  }

  closeDense(): void {
    this.closeSection();
  }

  /** Ends the frame with `extra` (serialized objects, or nothing) and returns it: valid until the next `begin`. */
  finish(extra: Uint8Array | null): Buffer {
    if (extra) {
      this.ensure(this.at + extra.length);
      this.buf.set(extra, this.at);
      this.at += extra.length;
    }
    const h = FRAME_PREFIX_BYTES;
    this.u32[(h + 20) >>> 2] = this.sections;
    this.u32[(h + 24) >>> 2] = extra?.length ?? 0;
    this.u32[0] = this.at - FRAME_PREFIX_BYTES;
    return this.buf.subarray(0, this.at);
  }

  /** Writes a section header and makes room for `payload` bytes after it. */
  private openSection(mode: SectionMode, words: number, offset: number, payload: number): void {
    this.ensure(this.at + SECTION_HEADER_BYTES + payload + 8);
    const i = this.at >>> 2;
    this.u32[i] = mode;
    this.u32[i + 1] = words;
    this.u32[i + 2] = offset;
    this.u32[i + 3] = 0;
    this.at += SECTION_HEADER_BYTES;
    this.sections++;
  }

  /** Pads to the next 8-byte boundary of the body, so the next section's payload can be viewed as 64-bit values. */
  private closeSection(): void {
    const body = this.at - FRAME_PREFIX_BYTES;
    const pad = (8 - (body & 7)) & 7;
    this.buf.fill(0, this.at, this.at + pad);
    this.at += pad;
  }

  private ensure(bytes: number): void {
    if (bytes <= this.buf.length) return;
    let size = this.buf.length;
    while (size < bytes) size *= 2;
    const next = Buffer.allocUnsafeSlow(size);
    this.buf.copy(next, 0, 0, this.at);
    this.buf = next;
    this.u32 = new Uint32Array(next.buffer, 0, next.length >>> 2);
  }
}
