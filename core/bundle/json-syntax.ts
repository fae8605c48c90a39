/**
 * Finds where JSON text first goes wrong. Node 20's JSON.parse messages often carry no position
 * ("Unexpected token 'o', ...\"version\": oops"), so a strict RFC 8259 scan recovers the offset for line:col.
 */
const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const LITERAL = /true|false|null/y;
const ESCAPE = /\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4})/y;
// eslint-disable-next-line no-control-regex -- JSON strings may not hold raw U+0000..U+001F: the range is the point
const STRING = /"(?:[^"\\\u0000-\u001f]|\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4}))*"/y;

class SyntaxStop extends Error {
  constructor(readonly offset: number) {
    super('json syntax error');
  }
}

/** Offset of the first syntax error, or `null` when the text is valid JSON. */
export function jsonSyntaxErrorOffset(text: string): number | null {
  try {
    let i = value(text, space(text, 0));
    i = space(text, i);
    return i === text.length ? null : i;
  } catch (e) {
    if (e instanceof SyntaxStop) return e.offset;
    throw e;
  }
}

function space(t: string, i: number): number {
  while (i < t.length && (t[i] === ' ' || t[i] === '\t' || t[i] === '\n' || t[i] === '\r')) i++;
  return i;
}

function token(t: string, i: number, re: RegExp): number {
  re.lastIndex = i;
  if (!re.test(t)) throw new SyntaxStop(i);
  return re.lastIndex;
}

function value(t: string, i: number): number {
  const c = t[i];
  if (c === '{') return object(t, i);
  if (c === '[') return array(t, i);
  if (c === '"') return stringEnd(t, i);
  if (c === '-' || (c >= '0' && c <= '9')) return token(t, i, NUMBER);
  return token(t, i, LITERAL);
}

/** Reports an unterminated or badly escaped string at the offending character, not at its opening quote. */
function stringEnd(t: string, i: number): number {
  STRING.lastIndex = i;
  if (STRING.test(t)) return STRING.lastIndex;
  let j = i + 1;
  while (j < t.length && t[j] !== '"' && t.charCodeAt(j) >= 0x20) {
    if (t[j] === '\\') {
      ESCAPE.lastIndex = j;
      if (!ESCAPE.test(t)) throw new SyntaxStop(j);
      j = ESCAPE.lastIndex;
    } else j++;
  }
  throw new SyntaxStop(Math.min(j, t.length));
}

function object(t: string, i: number): number {
  i = space(t, i + 1);
  if (t[i] === '}') return i + 1;
  for (;;) {
    if (t[i] !== '"') throw new SyntaxStop(i);
    i = space(t, stringEnd(t, i));
    if (t[i] !== ':') throw new SyntaxStop(i);
    i = space(t, value(t, space(t, i + 1)));
    if (t[i] === '}') return i + 1;
    if (t[i] !== ',') throw new SyntaxStop(i);
    i = space(t, i + 1);
  }
}

function array(t: string, i: number): number {
  i = space(t, i + 1);
  if (t[i] === ']') return i + 1;
  for (;;) {
    i = space(t, value(t, i));
    if (t[i] === ']') return i + 1;
    if (t[i] !== ',') throw new SyntaxStop(i);
    i = space(t, i + 1);
  }
}
