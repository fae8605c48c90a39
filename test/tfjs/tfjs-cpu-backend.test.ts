/**
 * The same forward pass on the pure-JS cpu backend (the last fallback), in its own test file because tfjs keeps
 * its backend as a process-global: torch parity holds there too, not only on the wasm backend's XNNPACK path.
 */
import { describe, expect, it } from 'vitest';
import { loadBundle } from '../../core/bundle/load-bundle.js';
import { silentLogger } from '../../core/logger.js';
import { createTfjsPlugin } from '../../plugins/tfjs/tfjs-plugin.js';
import { expectedInputs, fixture, maxAbsDiff, readExpected } from './tfjs-fixtures.js';

describe('tfjs on the cpu backend', () => {
  it('serves model.pt with torch parity', async () => {
    const plugin = createTfjsPlugin({ backends: ['cpu'] });
    await plugin.init({ logger: silentLogger });
    const s = await plugin.createSession(await loadBundle(fixture('torch-small')), {
      logger: silentLogger,
      options: {},
    });
    expect(s.info.tfjsBackend).toBe('cpu');
    const e = readExpected('torch-small');
    const encoded = { kind: 'features' as const, size: 3, dIn: 64, data: expectedInputs(e) };
    expect(maxAbsDiff(await s.infer({ inputs: [], encoded }), e)).toBeLessThan(1e-5);
    await s.dispose();
  });
});
