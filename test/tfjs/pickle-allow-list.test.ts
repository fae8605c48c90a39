/**
 * The production pickle allow-list of torch checkpoints, pinned: exactly these globals are accepted, and a checkpoint
 * naming any other one (through GLOBAL or STACK_GLOBAL) is refused with PICKLE_GLOBAL_FORBIDDEN and the global's
 * name in the error's context, before anything is called.
 */
import { zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { PlannerError } from '../../core/errors.js';
import { loadTorchStateDict, TORCH_ALLOWED_GLOBALS } from '../../plugins/tfjs/torch-checkpoint.js';

const PINNED = [
  'collections.OrderedDict',
  'torch.BFloat16Storage',
  'torch.BoolStorage',
  'torch.ByteStorage',
  'torch.CharStorage',
  'torch.DoubleStorage',
  'torch.FloatStorage',
  'torch.HalfStorage',
  'torch.IntStorage',
  'torch.LongStorage',
  'torch.ShortStorage',
  'torch._utils._rebuild_parameter',
  'torch._utils._rebuild_tensor_v2',
];

const FORBIDDEN = [
  'builtins.getattr',
  'builtins.eval',
  'builtins.exec',
  'builtins.__import__',
  'os.system',
  'posix.system',
  'subprocess.Popen',
  'collections.defaultdict',
  'torch._utils._rebuild_tensor',
  'torch.Tensor',
  'torch.nn.modules.linear.Linear',
  'numpy.core.multiarray._reconstruct',
  '__main__.MLPPolicy',
];

const latin1 = (text: string): number[] => [...Buffer.from(text, 'latin1')];

/** A zip checkpoint whose data.pkl names `qualified` with GLOBAL (protocol 2) or STACK_GLOBAL (protocol 4), then stops. */
function checkpointNaming(qualified: string, opcode: 'GLOBAL' | 'STACK_GLOBAL'): Uint8Array {
  const dot = qualified.lastIndexOf('.');
  const [module, name] = [qualified.slice(0, dot), qualified.slice(dot + 1)];
  const short = (s: string): number[] => [0x8c, s.length, ...latin1(s)];
  const body =
    opcode === 'GLOBAL'
      ? [0x80, 0x02, 0x63, ...latin1(`${module}\n${name}\n`)]
      : [0x80, 0x04, ...short(module), ...short(name), 0x93];
  return zipSync({ 'archive/data.pkl': Uint8Array.from([...body, 0x2e]) });
}

function refusal(bytes: Uint8Array): PlannerError {
  let caught: unknown = null;
  try {
    loadTorchStateDict(bytes, { where: 'model.pt' });
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(PlannerError);
  return caught as PlannerError;
}

describe('torch checkpoint pickle allow-list', () => {
  it('is exactly the pinned list', () => {
    expect([...TORCH_ALLOWED_GLOBALS].sort()).toEqual(PINNED);
  });

  it.each(FORBIDDEN)('refuses a checkpoint naming %s, with the code and the global in the context', (qualified) => {
    for (const opcode of ['GLOBAL', 'STACK_GLOBAL'] as const) {
      const e = refusal(checkpointNaming(qualified, opcode));
      expect(e.code, opcode).toBe('PICKLE_GLOBAL_FORBIDDEN');
      expect(e.context.global, opcode).toBe(qualified);
    }
  });

  it('accepts naming each allowed global (the checkpoint then fails only for not being a state_dict)', () => {
    for (const qualified of PINNED) {
      const e = refusal(checkpointNaming(qualified, 'GLOBAL'));
      expect(e.code, qualified).toBe('TORCH_NOT_STATE_DICT');
    }
  });
});
