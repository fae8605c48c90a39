/**
 * Builds small torch zip checkpoints in code (protocol-2 pickles of an OrderedDict of `_rebuild_tensor_v2` calls),
 * so tests can declare any view (shape, stride, offset) over any storage without Python.
 */
import { zipSync } from 'fflate';

export interface ViewSpec {
  readonly key: string;
  readonly storage: string;
  readonly numel: number;
  readonly shape: readonly number[];
  readonly stride: readonly number[];
  readonly offset?: number;
}

const str = (s: string): number[] => [0x8c, s.length, ...Buffer.from(s, 'latin1')];
const int = (n: number): number[] => [0x4a, ...[0, 1, 2, 3].map((i) => (n >>> (8 * i)) & 0xff)];
const tuple = (items: readonly number[]): number[] => [0x28, ...items.flatMap(int), 0x74];
const global = (mod: string, name: string): number[] => [0x63, ...Buffer.from(`${mod}\n${name}\n`, 'latin1')];

function tensor(v: ViewSpec): number[] {
  const pid = [
    0x28,
    ...str('storage'),
    ...global('torch', 'FloatStorage'),
    ...str(v.storage),
    ...str('cpu'),
    ...int(v.numel),
    0x74,
    0x51,
  ];
  const args = [0x28, ...pid, ...int(v.offset ?? 0), ...tuple(v.shape), ...tuple(v.stride), 0x89, 0x4e, 0x74];
  return [...global('torch._utils', '_rebuild_tensor_v2'), ...args, 0x52];
}

/** `data.pkl` for a state_dict of the given views. */
export function stateDictPickle(views: readonly ViewSpec[]): Uint8Array {
  const body = views.flatMap((v) => [...str(v.key), ...tensor(v), 0x73]);
  return Uint8Array.from([0x80, 0x02, ...global('collections', 'OrderedDict'), 0x29, 0x52, ...body, 0x2e]);
}

/** A zip checkpoint `archive/data.pkl` + one float32 storage per distinct storage key (`numel` elements of 0.5). */
export function torchCheckpoint(views: readonly ViewSpec[]): Uint8Array {
  const files: Record<string, Uint8Array> = {
    'archive/data.pkl': stateDictPickle(views),
    'archive/byteorder': Buffer.from('little'),
  };
  for (const v of views)
    files[`archive/data/${v.storage}`] ??= new Uint8Array(new Float32Array(v.numel).fill(0.5).buffer);
  return zipSync(files, { level: 0 });
}
