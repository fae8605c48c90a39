/** A small seeded PRNG (mulberry32) for reproducible fuzzing: the same seed always yields the same cases. */
export class Prng {
  private state: number;

  constructor(readonly seed: number) {
    this.state = seed >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** Integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)];
  }

  /** A string of `length` characters drawn from ASCII, Unicode, control and surrogate-pair ranges. */
  text(length: number): string {
    const pools = [
      'abcdefghijklmnopqrstuvwxyz ',
      'ABCXYZ0123456789_-./:',
      '\u0000\u0007\t\n\r\u2028',
      'éüßçø日本語한국',
      '😀🚀',
      '\ud800',
    ];
    let out = '';
    for (let i = 0; i < length; i++) {
      const pool = this.pick(pools);
      out += [...pool][this.int([...pool].length)];
    }
    return out;
  }
}
