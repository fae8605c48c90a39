import { describe, expect, it } from 'vitest';
import { KeepAlive } from '../../core/isolation/keep-alive.js';

describe('KeepAlive (what holds the parent process while the isolation pool owes an answer)', () => {
  it('is held while any hold is outstanding, and releasing twice gives back only one hold', () => {
    const keep = new KeepAlive();
    expect(keep.held).toBe(false);
    const a = keep.hold();
    const b = keep.hold();
    a();
    a();
    expect(keep.held).toBe(true);
    b();
    expect(keep.held).toBe(false);
  });

  it('clear drops every hold; a late release after it does not underflow', () => {
    const keep = new KeepAlive();
    const a = keep.hold();
    keep.clear();
    expect(keep.held).toBe(false);
    a();
    const b = keep.hold();
    expect(keep.held).toBe(true);
    b();
    expect(keep.held).toBe(false);
  });
});
