import { describe, expect, it } from 'vitest';
import { readPickle } from '../../plugins/tfjs/pickle-reader.js';
import { PyGlobal, PyTuple, type PyCallable } from '../../plugins/tfjs/pickle-values.js';

const hooks = (globals: Record<string, PyCallable> = {}) => ({
  globals: new Map(Object.entries(globals)),
  persistentLoad: () => {
    throw new Error('no persistent ids here');
  },
});

const bytes = (...parts: Array<number[] | string>): Uint8Array =>
  Uint8Array.from(parts.flatMap((p) => (typeof p === 'string' ? [...Buffer.from(p, 'latin1')] : p)));

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    return (e as { code?: string }).code;
  }
  return undefined;
}

describe('restricted unpickler', () => {
  it('reads dicts, lists, tuples, ints, floats, strings and memo references', () => {
    // {'a': [1, -2, 300, 70000], 'b': (1.5, None, True), 'c': <memo of the list>, 'd': LONG1 2**40}
    const p = bytes(
      [0x80, 0x02, 0x7d, 0x71, 0x00, 0x28],
      [0x8c, 1],
      'a',
      [
        0x5d, 0x71, 0x01, 0x28, 0x4b, 1, 0x4a, 0xfe, 0xff, 0xff, 0xff, 0x4d, 0x2c, 0x01, 0x4a, 0x70, 0x11, 0x01, 0x00,
        0x65,
      ],
      [0x8c, 1],
      'b',
      [0x47, 0x3f, 0xf8, 0, 0, 0, 0, 0, 0, 0x4e, 0x88, 0x87],
      [0x8c, 1],
      'c',
      [0x68, 0x01],
      [0x8c, 1],
      'd',
      [0x8a, 6, 0, 0, 0, 0, 0, 1],
      [0x75, 0x2e],
    );
    const v = readPickle(p, 'test', hooks()) as Map<string, unknown>;
    expect(v.get('a')).toEqual([1, -2, 300, 70000]);
    expect(v.get('b')).toEqual(new PyTuple([1.5, null, true]));
    expect(v.get('c')).toBe(v.get('a'));
    expect(v.get('d')).toBe(2 ** 40);
  });

  it('calls only allow-listed globals, with our implementation', () => {
    const calls: unknown[] = [];
    const p = bytes([0x80, 0x02, 0x63], 'collections\nOrderedDict\n', [0x29, 0x52, 0x2e]);
    const v = readPickle(p, 'test', hooks({ 'collections.OrderedDict': (args) => (calls.push(args), new Map()) }));
    expect(v).toEqual(new Map());
    expect(calls).toEqual([[]]);
  });

  it('refuses os.system by GLOBAL and by STACK_GLOBAL before anything could be called', () => {
    const viaGlobal = bytes([0x80, 0x02, 0x63], 'os\nsystem\n', [0x8c, 2], 'id', [0x85, 0x52, 0x2e]);
    const viaStack = bytes(
      [0x80, 0x04, 0x8c, 8],
      'builtins',
      [0x8c, 4],
      'eval',
      [0x93, 0x8c, 1],
      '1',
      [0x85, 0x52, 0x2e],
    );
    expect(codeOf(() => readPickle(viaGlobal, 't', hooks({ 'collections.OrderedDict': () => null })))).toBe(
      'PICKLE_GLOBAL_FORBIDDEN',
    );
    expect(codeOf(() => readPickle(viaStack, 't', hooks()))).toBe('PICKLE_GLOBAL_FORBIDDEN');
  });

  it('names the refused global in the error context', () => {
    const p = bytes([0x80, 0x02, 0x63], 'os\nsystem\n', [0x2e]);
    expect(() => readPickle(p, 't', hooks())).toThrow(
      expect.objectContaining({
        code: 'PICKLE_GLOBAL_FORBIDDEN',
        context: expect.objectContaining({ global: 'os.system' }),
      }),
    );
  });

  it('refuses unknown opcodes, truncated and unterminated data with codes', () => {
    expect(codeOf(() => readPickle(bytes([0x80, 0x02, 0x69, 0x2e]), 't', hooks()))).toBe('PICKLE_UNSUPPORTED_OPCODE'); // INST
    expect(codeOf(() => readPickle(bytes([0x80, 0x02, 0x58, 0xff, 0xff, 0xff, 0x7f]), 't', hooks()))).toBe(
      'PICKLE_CORRUPT',
    );
    expect(codeOf(() => readPickle(bytes([0x80, 0x02, 0x4e]), 't', hooks()))).toBe('PICKLE_CORRUPT');
    expect(codeOf(() => readPickle(bytes([0x80, 0x02, 0x68, 0x05, 0x2e]), 't', hooks()))).toBe('PICKLE_CORRUPT');
    expect(codeOf(() => readPickle(bytes([0x80, 0x09, 0x4e, 0x2e]), 't', hooks()))).toBe('PICKLE_UNSUPPORTED_OPCODE');
  });

  it('never hangs or crashes uncoded on random bytes', () => {
    let seed = 12345;
    const rand = () => ((seed = (seed * 1103515245 + 12345) >>> 0) >>> 16) & 0xff;
    for (let n = 0; n < 500; n++) {
      const p = Uint8Array.from({ length: 1 + (n % 64) }, rand);
      p[0] = 0x80;
      p[1] = 2;
      try {
        readPickle(p, 't', hooks({ 'collections.OrderedDict': () => new Map() }));
      } catch (e) {
        expect((e as { code?: string }).code).toMatch(/^PICKLE_/);
      }
    }
  });

  it('keeps allowed globals as inert names until REDUCE', () => {
    const p = bytes([0x80, 0x02, 0x63], 'torch\nFloatStorage\n', [0x2e]);
    const v = readPickle(p, 't', hooks({ 'torch.FloatStorage': () => null }));
    expect(v).toBeInstanceOf(PyGlobal);
    expect((v as PyGlobal).qualified).toBe('torch.FloatStorage');
  });
});
