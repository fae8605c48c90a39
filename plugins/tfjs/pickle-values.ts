/** The plain values the restricted unpickler builds. Nothing here can run code: globals are names, not functions. */

/** A `module.name` pickle global that the caller's allow-list accepted. */
export class PyGlobal {
  constructor(
    readonly module: string,
    readonly name: string,
  ) {}
  get qualified(): string {
    return `${this.module}.${this.name}`;
  }
}

export class PyTuple {
  constructor(readonly items: readonly PyValue[]) {}
}

/** An opaque value built by an allow-listed callable (a storage, a tensor). */
export class PyOpaque<T = unknown> {
  constructor(
    readonly kind: string,
    readonly value: T,
  ) {}
}

export type PyKey = string | number | bigint | boolean | null;

export type PyValue =
  | null
  | boolean
  | number
  | bigint
  | string
  | Uint8Array
  | PyValue[]
  | PyTuple
  | Map<PyKey, PyValue>
  | Set<PyKey>
  | PyGlobal
  | PyOpaque;

/** What an allow-listed global does when REDUCE/NEWOBJ calls it. */
export type PyCallable = (args: readonly PyValue[]) => PyValue;

export interface UnpicklerHooks {
  /** `module.name` → implementation; every other global is refused (PICKLE_GLOBAL_FORBIDDEN). */
  readonly globals: ReadonlyMap<string, PyCallable>;
  /** BINPERSID handler (torch storages). */
  readonly persistentLoad: (pid: PyValue) => PyValue;
}
