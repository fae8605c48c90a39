/**
 * Makes untrusted text (file names, pickle global names, messages quoting them) safe to print on a terminal: C0 and
 * C1 control characters, DEL, line/paragraph separators and bidi overrides become visible `\xHH` / `\uHHHH` escapes,
 * so a crafted name cannot move the cursor, recolour the screen, forge a line or reorder what is shown.
 */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

export function escapeControl(text: string): string {
  return text.replace(UNSAFE, (c) => {
    if (c === '\n') return '\\n';
    if (c === '\r') return '\\r';
    if (c === '\t') return '\\t';
    const code = c.charCodeAt(0);
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
  });
}
