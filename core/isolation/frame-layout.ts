/**
 * The binary frames of the isolation pipe (the child's fd 4; the IPC channel carries only the load and its reply).
 * All numbers little-endian.
 *
 *   frame   = u32 body length, body
 *   body    = header (32 bytes), sections (each starting 8-byte aligned), extra bytes
 *   header  = u16 magic, u8 version, u8 type, u32 id, u32 size (items), u32 dim (d_in or seq_len),
 *             u32 kind (request: FrameKind), u32 section count, u32 extra byte length, u32 zero
 *   section = u32 mode (dense | shared), u32 words (32-bit words of the array), u32 offset (shared: the byte offset
 *             in the shared file), u32 zero; then (dense) the words, zero-padded to 8 bytes; (shared) nothing: the
 *             words are in the worker's shared file (`shared-file.ts`) at that offset
 *
 * A request carries the encoded tensors as sections (features: one; tokens: ids and mask), and in `extra` the
 * objects a backend that reads more than tensors needs (v8-serialized, as the `advanced` IPC channel would). A result
 * carries its logits packed: a section of lengths (item × 4 heads) and one section per head, items back to back.
 */
/** The child's file descriptor of the frame pipe (0-2 stdio, 3 the IPC channel). */
export const FRAME_FD = 4;
export const FRAME_MAGIC = 0xc1f7;
export const FRAME_VERSION = 1;
export const FRAME_PREFIX_BYTES = 4;
export const FRAME_HEADER_BYTES = 32;
export const SECTION_HEADER_BYTES = 16;
/** Larger length prefixes are taken for garbage: 1 GiB is about 70,000 full-size features rows. */
export const MAX_FRAME_BYTES = 2 ** 30;

export const FrameType = {
  /** parent → child: one batch to infer. */
  Infer: 1,
  /** child → parent: logits packed per head. */
  Result: 2,
  /** child → parent: logits that cannot be packed exactly (not all Float32Array), v8-serialized in `extra`. */
  ResultSerialized: 3,
  /** child → parent: the call failed; a WireError as JSON in `extra`. */
  Error: 4,
} as const;

export const FrameKind = { Raw: 0, Features: 1, Tokens: 2 } as const;

export const SectionMode = { Dense: 0, Shared: 1 } as const;
export type SectionMode = (typeof SectionMode)[keyof typeof SectionMode];
