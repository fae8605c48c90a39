/**
 * JSON positions: maps a JSON pointer (RFC 6901) to the 1-based line:col where that value starts in the text.
 * A small scanner for text that JSON.parse already accepted; it records positions, it does not build values.
 */

export interface JsonPosition {
  readonly line: number;
  readonly column: number;
}

export interface JsonPositions {
  /** Position of the value at `pointer`; for a pointer into nothing, the nearest existing ancestor's. */
  at(pointer: string): JsonPosition;
}

/** Escapes one pointer segment (`~` → `~0`, `/` → `~1`). */
export function pointerSegment(key: string | number): string {
  return String(key).replace(/~/g, '~0').replace(/\//g, '~1');
}

export function jsonPositions(text: string): JsonPositions {
  const offsets = new Map<string, number>();
  try {
    new Scanner(text, offsets).document();
  } catch {
    // invalid JSON: only what was scanned is known; callers report syntax errors through parseJsonText
  }
  const lines = lineStarts(text);
  return {
    at(pointer: string): JsonPosition {
      let p = pointer;
      while (!offsets.has(p) && p !== '') p = p.slice(0, Math.max(0, p.lastIndexOf('/')));
      return lineColAt(lines, offsets.get(p) ?? 0);
    },
  };
}

/** Offsets where each line starts: built once, so each lookup is a binary search (many problems stay linear). */
function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return starts;
}

function lineColAt(starts: readonly number[], offset: number): JsonPosition {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid] <= offset) lo = mid;
    else hi = mid - 1;
  }
  return { line: lo + 1, column: offset - starts[lo] + 1 };
}

class Scanner {
  private i = 0;

  constructor(
    private readonly text: string,
    private readonly offsets: Map<string, number>,
  ) {}

  document(): void {
    this.value('');
  }

  private value(pointer: string): void {
    this.skipSpace();
    this.offsets.set(pointer, this.i);
    const c = this.text[this.i];
    if (c === '{') this.object(pointer);
    else if (c === '[') this.array(pointer);
    else if (c === '"') this.string();
    else this.scalar();
  }

  private object(pointer: string): void {
    this.i++;
    this.skipSpace();
    if (this.text[this.i] === '}') return void this.i++;
    for (;;) {
      this.skipSpace();
      const key = JSON.parse(this.text.slice(this.i, this.stringEnd())) as string;
      this.i = this.stringEnd();
      this.skipSpace();
      this.expect(':');
      this.value(`${pointer}/${pointerSegment(key)}`);
      this.skipSpace();
      if (this.text[this.i++] === '}') return;
    }
  }

  private array(pointer: string): void {
    this.i++;
    this.skipSpace();
    if (this.text[this.i] === ']') return void this.i++;
    for (let index = 0; ; index++) {
      this.value(`${pointer}/${index}`);
      this.skipSpace();
      if (this.text[this.i++] === ']') return;
    }
  }

  private string(): void {
    this.i = this.stringEnd();
  }

  /** Offset just past the closing quote of the string starting at `this.i`. */
  private stringEnd(): number {
    let j = this.i + 1;
    while (j < this.text.length && this.text[j] !== '"') j += this.text[j] === '\\' ? 2 : 1;
    if (j >= this.text.length) throw new Error('unterminated string');
    return j + 1;
  }

  private scalar(): void {
    const start = this.i;
    while (this.i < this.text.length && !/[\s,\]}]/.test(this.text[this.i])) this.i++;
    if (this.i === start) throw new Error(`unexpected character at ${start}`);
  }

  private skipSpace(): void {
    while (this.i < this.text.length && /\s/.test(this.text[this.i])) this.i++;
  }

  private expect(ch: string): void {
    if (this.text[this.i] !== ch) throw new Error(`expected ${ch} at ${this.i}`);
    this.i++;
  }
}
