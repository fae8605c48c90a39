/**
 * A restricted unpickler: reads pickle protocols 2–5 as far as a `torch.save` state_dict needs, builds plain values,
 * and never executes anything. A global is accepted only if the caller's allow-list names it (the callable is our
 * own TypeScript, not Python's); any other global is refused with PICKLE_GLOBAL_FORBIDDEN when it is *named*, before
 * it could be called. Unknown opcodes are PICKLE_UNSUPPORTED_OPCODE. Every read is bounds-checked and every opcode
 * consumes input, so malformed data fails fast instead of hanging.
 */
import { PlannerError, type ErrorCode } from '../../core/errors.js';
import { PyGlobal, PyTuple, type PyKey, type PyValue, type UnpicklerHooks } from './pickle-values.js';

const MARK = Symbol('mark');
type StackItem = PyValue | typeof MARK;

class PickleState {
  pos = 0;
  readonly stack: StackItem[] = [];
  readonly memo = new Map<number, PyValue>();
  readonly view: DataView;
  constructor(
    readonly bytes: Uint8Array,
    readonly where: string,
    readonly hooks: UnpicklerHooks,
  ) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }
  fail(code: ErrorCode, message: string, extra: Record<string, unknown> = {}): never {
    throw new PlannerError(code, `${this.where}: ${message} (pickle offset ${this.pos})`, {
      context: { file: this.where, offset: this.pos, ...extra },
    });
  }
  take(n: number): Uint8Array {
    if (!Number.isSafeInteger(n) || n < 0 || this.pos + n > this.bytes.length)
      this.fail('PICKLE_CORRUPT', `truncated pickle: ${n} bytes wanted`);
    const out = this.bytes.subarray(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }
  u8(): number {
    return this.take(1)[0];
  }
  u16(): number {
    return this.view.getUint16(this.need(2), true);
  }
  u32(): number {
    return this.view.getUint32(this.need(4), true);
  }
  i32(): number {
    return this.view.getInt32(this.need(4), true);
  }
  u64(): number {
    const at = this.need(8);
    const v = this.view.getBigUint64(at, true);
    if (v > BigInt(Number.MAX_SAFE_INTEGER)) this.fail('PICKLE_CORRUPT', 'length field too large');
    return Number(v);
  }
  f64be(): number {
    return this.view.getFloat64(this.need(8), false);
  }
  line(): string {
    const end = this.bytes.indexOf(0x0a, this.pos);
    if (end < 0 || end - this.pos > 1024) this.fail('PICKLE_CORRUPT', 'unterminated text line');
    const text = new TextDecoder().decode(this.bytes.subarray(this.pos, end));
    this.pos = end + 1;
    return text;
  }
  text(n: number): string {
    return new TextDecoder('utf-8', { fatal: true }).decode(this.take(n));
  }
  private need(n: number): number {
    const at = this.pos;
    this.take(n);
    return at;
  }
  push(v: PyValue): void {
    this.stack.push(v);
  }
  pop(): PyValue {
    if (this.stack.length === 0) this.fail('PICKLE_CORRUPT', 'stack underflow');
    const v = this.stack.pop()!;
    if (v === MARK) this.fail('PICKLE_CORRUPT', 'unexpected MARK');
    return v;
  }
  top(): PyValue {
    const v = this.stack[this.stack.length - 1];
    if (v === undefined || v === MARK) this.fail('PICKLE_CORRUPT', 'stack underflow');
    return v;
  }
  popMark(): PyValue[] {
    const at = this.stack.lastIndexOf(MARK);
    if (at < 0) this.fail('PICKLE_CORRUPT', 'no MARK on the stack');
    const items = this.stack.splice(at) as PyValue[];
    items.shift();
    return items;
  }
  memoPut(index: number): void {
    this.memo.set(index, this.top());
  }
  memoGet(index: number): void {
    if (!this.memo.has(index)) this.fail('PICKLE_CORRUPT', `memo key ${index} was never stored`);
    this.push(this.memo.get(index)!);
  }
}

function asKey(s: PickleState, k: PyValue): PyKey {
  if (k === null || ['string', 'number', 'bigint', 'boolean'].includes(typeof k)) return k as PyKey;
  return s.fail('PICKLE_UNSUPPORTED_VALUE', 'a dict key that is not a string or number');
}

function setItems(s: PickleState, items: PyValue[]): void {
  const dict = s.top();
  if (!(dict instanceof Map)) s.fail('PICKLE_UNSUPPORTED_VALUE', 'SETITEM(S) on something that is not a dict');
  if (items.length % 2 !== 0) s.fail('PICKLE_CORRUPT', 'odd number of items for SETITEMS');
  for (let i = 0; i < items.length; i += 2) dict.set(asKey(s, items[i]), items[i + 1]);
}

function appendItems(s: PickleState, items: PyValue[]): void {
  const list = s.top();
  if (!Array.isArray(list)) s.fail('PICKLE_UNSUPPORTED_VALUE', 'APPEND(S) on something that is not a list');
  list.push(...items);
}

function global(s: PickleState, module: string, name: string): void {
  const g = new PyGlobal(module, name);
  if (!s.hooks.globals.has(g.qualified)) {
    s.fail(
      'PICKLE_GLOBAL_FORBIDDEN',
      `the pickle names the global "${g.qualified}", which a weights-only loader refuses; save a state_dict (model.state_dict()), not a model object or code`,
      { global: g.qualified },
    );
  }
  s.push(g);
}

function call(s: PickleState, fn: PyValue, args: PyValue): void {
  if (!(fn instanceof PyGlobal))
    s.fail('PICKLE_UNSUPPORTED_VALUE', 'REDUCE on something that is not an allowed global');
  if (!(args instanceof PyTuple)) s.fail('PICKLE_CORRUPT', 'REDUCE arguments are not a tuple');
  try {
    s.push(s.hooks.globals.get(fn.qualified)!(args.items));
  } catch (cause) {
    if (cause instanceof PlannerError) throw cause;
    s.fail('PICKLE_UNSUPPORTED_VALUE', `${fn.qualified}: ${(cause as Error).message}`);
  }
}

function build(s: PickleState): void {
  s.pop(); // state: OrderedDict `_metadata` and tensor attributes are data only; ignored
  const obj = s.top();
  if (obj instanceof PyGlobal || obj instanceof PyTuple || typeof obj !== 'object' || obj === null) {
    s.fail('PICKLE_UNSUPPORTED_VALUE', 'BUILD on a value that takes no state');
  }
}

function long1(s: PickleState): PyValue {
  const bytes = s.take(s.u8());
  let v = 0n;
  for (let i = bytes.length - 1; i >= 0; i--) v = (v << 8n) | BigInt(bytes[i]);
  if (bytes.length > 0 && bytes[bytes.length - 1] & 0x80) v -= 1n << BigInt(bytes.length * 8);
  return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v;
}

function addItems(s: PickleState): void {
  const items = s.popMark();
  const set = s.top();
  if (!(set instanceof Set)) return s.fail('PICKLE_CORRUPT', 'ADDITEMS without a set');
  for (const i of items) set.add(asKey(s, i));
}

function stackGlobal(s: PickleState): void {
  const name = s.pop();
  const mod = s.pop();
  if (typeof mod !== 'string' || typeof name !== 'string')
    return s.fail('PICKLE_CORRUPT', 'STACK_GLOBAL needs two strings');
  global(s, mod, name);
}

type Op = (s: PickleState) => void;

const OPS: ReadonlyMap<number, Op> = new Map<number, Op>([
  [
    0x80,
    (s) => {
      const p = s.u8();
      if (p < 2 || p > 5) s.fail('PICKLE_UNSUPPORTED_OPCODE', `pickle protocol ${p}`);
    },
  ],
  [0x95, (s) => void s.u64()],
  [0x7d, (s) => s.push(new Map())],
  [0x5d, (s) => s.push([])],
  [0x29, (s) => s.push(new PyTuple([]))],
  [0x8f, (s) => s.push(new Set())],
  [0x28, (s) => s.stack.push(MARK)],
  [0x58, (s) => s.push(s.text(s.u32()))],
  [0x8d, (s) => s.push(s.text(s.u64()))],
  [0x8c, (s) => s.push(s.text(s.u8()))],
  [0x42, (s) => s.push(s.take(s.u32()).slice())],
  [0x43, (s) => s.push(s.take(s.u8()).slice())],
  [0x4a, (s) => s.push(s.i32())],
  [0x4b, (s) => s.push(s.u8())],
  [0x4d, (s) => s.push(s.u16())],
  [0x8a, (s) => s.push(long1(s))],
  [0x47, (s) => s.push(s.f64be())],
  [0x4e, (s) => s.push(null)],
  [0x88, (s) => s.push(true)],
  [0x89, (s) => s.push(false)],
  [0x85, (s) => s.push(new PyTuple([s.pop()]))],
  [
    0x86,
    (s) => {
      const b = s.pop();
      s.push(new PyTuple([s.pop(), b]));
    },
  ],
  [
    0x87,
    (s) => {
      const c = s.pop();
      const b = s.pop();
      s.push(new PyTuple([s.pop(), b, c]));
    },
  ],
  [0x74, (s) => s.push(new PyTuple(s.popMark()))],
  [
    0x73,
    (s) => {
      const v = s.pop();
      const k = s.pop();
      setItems(s, [k, v]);
    },
  ],
  [0x75, (s) => setItems(s, s.popMark())],
  [0x61, (s) => appendItems(s, [s.pop()])],
  [0x65, (s) => appendItems(s, s.popMark())],
  [0x90, addItems],
  [0x71, (s) => s.memoPut(s.u8())],
  [0x72, (s) => s.memoPut(s.u32())],
  [0x94, (s) => s.memoPut(s.memo.size)],
  [0x68, (s) => s.memoGet(s.u8())],
  [0x6a, (s) => s.memoGet(s.u32())],
  [0x63, (s) => global(s, s.line(), s.line())],
  [0x93, stackGlobal],
  [
    0x52,
    (s) => {
      const args = s.pop();
      call(s, s.pop(), args);
    },
  ],
  [
    0x81,
    (s) => {
      const args = s.pop();
      call(s, s.pop(), args);
    },
  ],
  [0x62, build],
  [0x51, (s) => s.push(s.hooks.persistentLoad(s.pop()))],
]);

/** Unpickles `bytes` with the given allow-list; `where` names the source in errors. */
export function readPickle(bytes: Uint8Array, where: string, hooks: UnpicklerHooks): PyValue {
  const s = new PickleState(bytes, where, hooks);
  while (s.pos < bytes.length) {
    const opcode = s.u8();
    if (opcode === 0x2e) {
      const result = s.pop();
      if (s.stack.length !== 0) s.fail('PICKLE_CORRUPT', 'values left on the stack at STOP');
      return result;
    }
    const op = OPS.get(opcode);
    if (!op) {
      s.pos -= 1;
      return s.fail(
        'PICKLE_UNSUPPORTED_OPCODE',
        `opcode 0x${opcode.toString(16).padStart(2, '0')} is not supported by the restricted unpickler`,
      );
    }
    try {
      op(s);
    } catch (cause) {
      if (cause instanceof PlannerError) throw cause;
      s.fail('PICKLE_UNSUPPORTED_VALUE', (cause as Error).message);
    }
  }
  return s.fail('PICKLE_CORRUPT', 'the pickle ends without STOP');
}
