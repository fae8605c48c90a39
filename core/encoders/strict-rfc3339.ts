/**
 * A strict, portable RFC 3339 parser for features.v1 (`created_at`). JavaScript's `Date.parse` accepts many
 * implementation-defined forms, so the encoder does not use it. Accepted: `YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH:MM)`,
 * `T`/`t`/space separator, `Z`/`z`, 1–9 fraction digits truncated to milliseconds, seconds 00–59 (no leap second).
 * Anything else → null.
 */
const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(?:[Zz]|([+-])(\d{2}):(\d{2}))$/;
const DAY_MS = 86_400_000;

export function parseRfc3339Strict(text: unknown): number | null {
  if (typeof text !== 'string' || text.length > 40) return null;
  if (text === lastText) return lastValue; // inputs of one batch mostly share created_at; strings are immutable
  const value = parse(text);
  lastText = text;
  lastValue = value;
  return value;
}

let lastText: string | null = null;
let lastValue: number | null = null;

function parse(text: string): number | null {
  const m = RFC3339.exec(text);
  if (m === null) return null;
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number);
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return null;
  if (hour > 23 || minute > 59 || second > 59) return null;
  const millis = m[7] === undefined ? 0 : Number(m[7].padEnd(3, '0').slice(0, 3));
  let offsetMin = 0;
  if (m[8] !== undefined) {
    const oh = Number(m[9]);
    const om = Number(m[10]);
    if (oh > 23 || om > 59) return null;
    offsetMin = (m[8] === '-' ? -1 : 1) * (oh * 60 + om);
  }
  const local = daysFromCivil(year, month, day) * DAY_MS + ((hour * 60 + minute) * 60 + second) * 1000 + millis;
  return local - offsetMin * 60_000;
}

function isLeap(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}

function daysInMonth(y: number, m: number): number {
  return m === 2 ? (isLeap(y) ? 29 : 28) : [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1];
}

/** Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm). */
function daysFromCivil(y0: number, m: number, d: number): number {
  const y = m <= 2 ? y0 - 1 : y0;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}
