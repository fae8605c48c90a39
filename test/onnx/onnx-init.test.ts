import { describe, expect, it, vi } from 'vitest';

describe('onnx plugin init', () => {
  it('rejects with a coded error when onnxruntime-node cannot be loaded', async () => {
    vi.resetModules();
    vi.doMock('onnxruntime-node', () => {
      throw new Error('Cannot find module onnxruntime_binding.node');
    });
    const { createOnnxPlugin } = await import('../../plugins/onnx/onnx-plugin.js');
    const { PlannerError } = await import('../../core/errors.js');
    const plugin = createOnnxPlugin();
    const error = await plugin
      .init({
        logger: {
          debug() {},
          info() {},
          warn() {},
          error() {},
          child() {
            return this;
          },
        },
      })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PlannerError);
    expect((error as { code: string }).code).toBe('BACKEND_UNAVAILABLE');
    vi.doUnmock('onnxruntime-node');
  });
});
