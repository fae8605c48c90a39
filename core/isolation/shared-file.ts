/**
 * The bulk channel of an isolation worker: an unlinked file on tmpfs (`/dev/shm`) that the parent opens, unlinks at
 * once and hands to the child as fd 5. Tensor sections of a frame above SHARED_MIN_BYTES are written there with one
 * `pwrite` and read with one `pread` (memory-speed, no chunking through a socket); the frame on the pipe says where.
 * Nothing is left on disk, whatever happens to either process. Where no tmpfs can be had, every section goes inline.
 */
import { closeSync, existsSync, openSync, readSync, unlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';

/** The child's file descriptor of the shared file. */
export const SHARED_FD = 5;
/** Smaller sections travel inline in the frame: a syscall pair costs more than copying them through the pipe. */
export const SHARED_MIN_BYTES = 8 * 1024;
const SHM_DIR = '/dev/shm';

export class SharedFile {
  private closed = false;
  /** Reused by `read`: a fresh megabytes-large buffer per call costs its page faults every time. */
  private scratch: Buffer | null = null;

  constructor(readonly fd: number) {}

  /** A fresh unlinked tmpfs file, or null where there is none (the caller sends everything inline). */
  static create(dir = SHM_DIR): SharedFile | null {
    if (!existsSync(dir)) return null;
    const path = join(dir, `cyntra-isolation-${process.pid}-${randomBytes(6).toString('hex')}`);
    try {
      const fd = openSync(path, 'wx+', 0o600);
      unlinkSync(path);
      return new SharedFile(fd);
    } catch {
      return null;
    }
  }

  /** Writes `view` at `offset`; false if it could not (a full tmpfs, say): the caller sends it inline instead. */
  write(view: ArrayBufferView, offset: number): boolean {
    try {
      const bytes = new Uint8Array(view.buffer, view.byteOffset, view.byteLength);
      let done = 0;
      while (done < bytes.length) done += writeSync(this.fd, bytes, done, bytes.length - done, offset + done);
      return true;
    } catch {
      return false;
    }
  }

  /**
   * `length` bytes from `offset` (8-byte aligned); throws if the file is shorter. The buffer is reused by the next
   * `read`: the child reads one request at a time and the next one only comes after the reply to this one, so a
   * session is done with its input by then. A buffer a session detached (transferred to a thread) is replaced.
   */
  read(offset: number, length: number): Buffer {
    if (!this.scratch || this.scratch.buffer.byteLength < length) this.scratch = Buffer.allocUnsafeSlow(length);
    const out = this.scratch.subarray(0, length);
    let done = 0;
    while (done < length) {
      const n = readSync(this.fd, out, done, length - done, offset + done);
      if (n === 0) throw new RangeError(`shared file ends at ${offset + done}, before ${offset + length}`);
      done += n;
    }
    return out;
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    try {
      closeSync(this.fd);
    } catch {
      /* already gone */
    }
  }
}
