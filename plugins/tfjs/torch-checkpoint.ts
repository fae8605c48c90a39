/**
 * Loads a `torch.save` state_dict (zip format, torch ≥ 1.6 default) without Python: the zip is read with fflate,
 * `data.pkl` with the restricted unpickler (allow-list: OrderedDict, `_rebuild_tensor_v2`, `_rebuild_parameter`,
 * the storage types), storages from `<prefix>/data/<key>`. Tensors are materialised contiguous float32, honouring
 * storage offsets and strides. Legacy (non-zip) checkpoints are refused with a re-save hint.
 */
import { PlannerError } from '../../core/errors.js';
import { readPickle } from './pickle-reader.js';
import { PyGlobal, PyOpaque, PyTuple, type PyCallable, type PyValue } from './pickle-values.js';
import { elementReader, STORAGE_TYPES, type TorchDtype } from './torch-dtypes.js';
import { DEFAULT_ZIP_LIMITS, isZip, readZip, type ZipLimits } from './zip-archive.js';

export interface LoadedTensor {
  readonly shape: number[];
  readonly data: Float32Array;
}

export interface TorchLoadOptions {
  /** Names the checkpoint in error messages. */
  readonly where?: string;
  readonly zipLimits?: ZipLimits;
  /**
   * Called with every key's shape after the views are checked and before any tensor is materialised: throw to refuse
   * (wrong keys or shapes for the model) without allocating anything.
   */
  readonly checkShapes?: (shapes: ReadonlyMap<string, readonly number[]>) => void;
}

interface StorageRef {
  readonly dtype: TorchDtype;
  readonly size: number;
  readonly key: string;
  readonly numel: number;
}

interface TensorRef {
  readonly storage: StorageRef;
  readonly offset: number;
  readonly shape: number[];
  readonly stride: number[];
}

/** Largest tensor, and largest total over all tensors, materialised (elements): 256 MB of float32. */
export const MAX_TENSOR_ELEMENTS = 64 * 1024 * 1024;

/** Keys under which the Python planner's checkpoint wrapper keeps the state_dict. */
const WRAPPER_KEYS = ['model', 'state_dict', 'model_state_dict'];

function intList(v: PyValue, what: string): number[] {
  if (!(v instanceof PyTuple) || !v.items.every((x) => typeof x === 'number' && Number.isSafeInteger(x) && x >= 0)) {
    throw new Error(`${what} must be a tuple of non-negative ints`);
  }
  return v.items as number[];
}

function rebuildTensor(args: readonly PyValue[]): PyValue {
  const [storage, offset] = args;
  if (!(storage instanceof PyOpaque) || storage.kind !== 'storage')
    throw new Error('_rebuild_tensor_v2 without a storage');
  if (typeof offset !== 'number' || !Number.isSafeInteger(offset) || offset < 0) throw new Error('bad storage offset');
  const ref: TensorRef = {
    storage: storage.value as StorageRef,
    offset,
    shape: intList(args[2], 'size'),
    stride: intList(args[3], 'stride'),
  };
  if (ref.shape.length !== ref.stride.length) throw new Error('size and stride differ in length');
  return new PyOpaque('tensor', ref);
}

const TORCH_GLOBALS: ReadonlyMap<string, PyCallable> = new Map<string, PyCallable>([
  [
    'collections.OrderedDict',
    (args) => {
      if (args.length !== 0) throw new Error('OrderedDict with constructor arguments');
      return new Map();
    },
  ],
  ['torch._utils._rebuild_tensor_v2', rebuildTensor],
  ['torch._utils._rebuild_parameter', (args) => args[0]],
  ...[...STORAGE_TYPES.keys()].map((n): [string, PyCallable] => [
    `torch.${n}`,
    () => {
      throw new Error(`torch.${n} is not callable here`);
    },
  ]),
]);

/** The globals a checkpoint's pickle may name (the weights-only allow-list); any other is PICKLE_GLOBAL_FORBIDDEN. */
export const TORCH_ALLOWED_GLOBALS: readonly string[] = [...TORCH_GLOBALS.keys()];

function persistentLoad(pid: PyValue): PyValue {
  if (!(pid instanceof PyTuple) || pid.items[0] !== 'storage' || pid.items.length < 5)
    throw new Error('unsupported persistent id');
  const [, type, key, , numel] = pid.items;
  const info = type instanceof PyGlobal ? STORAGE_TYPES.get(type.name) : undefined;
  if (!info || typeof key !== 'string' || typeof numel !== 'number' || !Number.isSafeInteger(numel) || numel < 0) {
    throw new Error('malformed storage persistent id');
  }
  return new PyOpaque<StorageRef>('storage', { ...info, key, numel });
}

function archivePrefix(files: Map<string, Uint8Array>, where: string): string {
  const pkls = [...files.keys()].filter((n) => /^[^/]+\/data\.pkl$/.test(n));
  if (pkls.length !== 1) {
    throw new PlannerError(
      'TORCH_FORMAT_INVALID',
      `${where}: expected exactly one <name>/data.pkl in the checkpoint archive, found ${pkls.length}`,
      { context: { file: where } },
    );
  }
  return pkls[0].slice(0, -'/data.pkl'.length);
}

function checkByteOrder(files: Map<string, Uint8Array>, prefix: string, where: string): void {
  const bo = files.get(`${prefix}/byteorder`);
  if (bo && new TextDecoder().decode(bo).trim() !== 'little') {
    throw new PlannerError(
      'TORCH_BYTEORDER_UNSUPPORTED',
      `${where}: the checkpoint was saved big-endian; re-save it on a little-endian machine`,
      { context: { file: where } },
    );
  }
}

/**
 * What a view needs, checked before anything is allocated: its storage is in the archive and long enough, the view
 * stays inside it, and it has no more elements than its storage (a stride-0 broadcast of one element to millions is
 * refused: a state_dict saved from parameters never holds one). Returns the view's element count.
 */
function checkView(t: TensorRef, files: Map<string, Uint8Array>, prefix: string, where: string): number {
  const bytes = files.get(`${prefix}/data/${t.storage.key}`);
  const fail = (what: string): never => {
    throw new PlannerError('TORCH_FORMAT_INVALID', `${where}: ${what}`, {
      context: { file: where, storage: t.storage.key },
    });
  };
  if (!bytes) return fail(`storage data/${t.storage.key} is missing from the archive`);
  if (bytes.length < t.storage.numel * t.storage.size)
    fail(`storage data/${t.storage.key} is shorter than its ${t.storage.numel} elements`);
  const count = t.shape.reduce((a, b) => a * b, 1);
  if (count > MAX_TENSOR_ELEMENTS)
    fail(`a tensor of ${count} elements exceeds the ${MAX_TENSOR_ELEMENTS}-element limit`);
  if (count > t.storage.numel)
    fail(
      `a tensor view of ${count} elements over a storage of ${t.storage.numel} (overlapping or stride-0 view); save contiguous tensors`,
    );
  const last = t.shape.reduce((acc, n, i) => acc + (n - 1) * t.stride[i], t.offset);
  if (count > 0 && last >= t.storage.numel) fail(`a tensor view reaches past its storage data/${t.storage.key}`);
  return count;
}

function materialise(
  t: TensorRef,
  count: number,
  files: Map<string, Uint8Array>,
  prefix: string,
  where: string,
): LoadedTensor {
  const read = elementReader(t.storage.dtype, files.get(`${prefix}/data/${t.storage.key}`)!, where);
  const out = new Float32Array(count);
  const index = new Array<number>(t.shape.length).fill(0);
  for (let n = 0; n < count; n++) {
    let at = t.offset;
    for (let d = 0; d < index.length; d++) at += index[d] * t.stride[d];
    out[n] = read(at);
    for (let d = index.length - 1; d >= 0 && ++index[d] === t.shape[d]; d--) index[d] = 0;
  }
  return { shape: [...t.shape], data: out };
}

function tensorMap(root: PyValue): Map<string, TensorRef> | null {
  if (!(root instanceof Map)) return null;
  const out = new Map<string, TensorRef>();
  for (const [k, v] of root) {
    if (typeof k !== 'string' || !(v instanceof PyOpaque) || v.kind !== 'tensor') return null;
    out.set(k, v.value as TensorRef);
  }
  return out;
}

function findStateDict(root: PyValue, where: string): Map<string, TensorRef> {
  const direct = tensorMap(root);
  if (direct) return direct;
  for (const key of root instanceof Map ? WRAPPER_KEYS : []) {
    const inner = tensorMap((root as Map<unknown, PyValue>).get(key) ?? null);
    if (inner) return inner;
  }
  throw new PlannerError(
    'TORCH_NOT_STATE_DICT',
    `${where}: the checkpoint is not a state_dict of tensors (nor a dict holding one under "model"); save model.state_dict()`,
    {
      context: { file: where },
    },
  );
}

/** Reads a torch zip checkpoint into `key → {shape, data}` (contiguous float32), without executing anything. */
export function loadTorchStateDict(bytes: Uint8Array, options: TorchLoadOptions = {}): Map<string, LoadedTensor> {
  const where = options.where ?? 'model.pt';
  if (!isZip(bytes) && bytes[0] !== 0x80) {
    throw new PlannerError(
      'TORCH_FORMAT_INVALID',
      `${where}: not a torch checkpoint (neither a zip archive nor a pickle); point at a file written by torch.save`,
      {
        context: { file: where },
      },
    );
  }
  if (!isZip(bytes)) {
    // 0x80 is the pickle PROTO opcode: the pre-1.6 format, a bare pickle stream followed by raw storages.
    throw new PlannerError(
      'TORCH_LEGACY_FORMAT',
      `${where}: not a zip-format torch checkpoint (legacy format); re-save it with torch >= 1.6: torch.save(model.state_dict(), f, _use_new_zipfile_serialization=True)`,
      {
        context: { file: where },
      },
    );
  }
  const files = readZip(bytes, where, options.zipLimits ?? DEFAULT_ZIP_LIMITS);
  const prefix = archivePrefix(files, where);
  checkByteOrder(files, prefix, where);
  const root = readPickle(files.get(`${prefix}/data.pkl`)!, `${where}:${prefix}/data.pkl`, {
    globals: TORCH_GLOBALS,
    persistentLoad,
  });
  const refs = findStateDict(root, where);
  const counts = new Map<string, number>();
  let total = 0;
  for (const [key, ref] of refs) {
    counts.set(key, checkView(ref, files, prefix, `${where} [${key}]`));
    total += counts.get(key)!;
  }
  if (total > MAX_TENSOR_ELEMENTS) {
    throw new PlannerError(
      'TORCH_FORMAT_INVALID',
      `${where}: the tensors hold ${total} elements in all, over the ${MAX_TENSOR_ELEMENTS}-element limit`,
      { context: { file: where } },
    );
  }
  options.checkShapes?.(new Map([...refs].map(([k, r]) => [k, r.shape])));
  const out = new Map<string, LoadedTensor>();
  for (const [key, ref] of refs) out.set(key, materialise(ref, counts.get(key)!, files, prefix, `${where} [${key}]`));
  return out;
}
