/**
 * `extract_keywords` (reference §3.A): ASCII word runs of 3+ `[A-Za-z0-9_]`, lowercased, stopwords dropped, ranked by
 * (count desc, word asc by code point), top n.
 */
const WORD = /[A-Za-z0-9_]{3,}/g;

export const KEYWORD_STOPWORDS: ReadonlySet<string> = new Set(
  (
    'the and for with from into over under then than this that these those your you our are was were has have had not ' +
    'but can may must should will would fix add update create make'
  ).split(' '),
);

export function extractKeywords(text: string, n: number): string[] {
  if (typeof text !== 'string' || !(n > 0)) return [];
  const counts = new Map<string, number>();
  WORD.lastIndex = 0;
  for (let m = WORD.exec(text); m !== null; m = WORD.exec(text)) {
    const w = m[0].toLowerCase();
    if (KEYWORD_STOPWORDS.has(w)) continue;
    counts.set(w, (counts.get(w) ?? 0) + 1);
  }
  const ranked = Array.from(counts.entries()).sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  return ranked.slice(0, Math.floor(n)).map(([w]) => w);
}
