/**
 * The kiosk's service search: a citizen types Chinese, pinyin initials ("bdc" → 不动产登记), full pinyin
 * ("shebao"), or a mix ("不dc", "bu动c"), on the on-screen keyboard. Pure: the pinyin of each name is
 * computed once by `buildIndex`; `searchServices` ranks what matches.
 */
import { pinyin } from 'pinyin-pro';

export interface Searchable {
  id: string;
  name: string;
  department: string;
}

/** One text prepared for matching: its characters and, for each, the readings it may be typed as. */
export interface PreparedText {
  chars: string[];
  /** Per character: its readings in lower case (full pinyin for Han characters, the character itself else). */
  readings: string[][];
}

export interface IndexEntry<T extends Searchable> {
  item: T;
  name: PreparedText;
  department: PreparedText;
}

const HAN = /\p{Script=Han}/u;

/** Lower case, no spaces or apostrophes (xi'an), full-width letters folded to ASCII. */
export function normalizeQuery(q: string): string {
  return q
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\s'’·]/g, '');
}

export function prepare(text: string): PreparedText {
  const chars = [...text.normalize('NFKC')];
  const inContext = pinyin(text.normalize('NFKC'), { toneType: 'none', type: 'array', v: true });
  // pinyin-pro gives one entry per character (non-Han characters pass through one by one).
  const aligned = inContext.length === chars.length;
  const readings = chars.map((ch, i) => {
    const lower = ch.toLowerCase();
    if (!HAN.test(ch)) return [lower];
    const set = new Set<string>();
    if (aligned) set.add((inContext[i] ?? '').toLowerCase());
    for (const r of pinyin(ch, { toneType: 'none', type: 'array', multiple: true, v: true })) set.add(r.toLowerCase());
    // ü is typed v (lv) by most, u (lu) by some.
    for (const r of [...set]) if (r.includes('v')) set.add(r.replaceAll('v', 'u'));
    set.delete('');
    return [...set];
  });
  return { chars, readings };
}

/**
 * Where `query` (already normalized) matches a run of consecutive characters of `text`: each character is
 * typed as itself, or as a non-empty prefix of one of its readings (an initial "b", a part "bu", the whole
 * "bu"). Returns the index of the first matched character, or -1.
 */
export function matchAt(text: PreparedText, query: string): number {
  if (query === '') return 0;
  const n = text.chars.length;
  const m = query.length;
  // memo[i * (m + 1) + j]: 0 unknown, 1 matches, 2 does not
  const memo = new Uint8Array((n + 1) * (m + 1));
  const go = (i: number, j: number): boolean => {
    if (j === m) return true;
    if (i === n) return false;
    const k = i * (m + 1) + j;
    if (memo[k] !== 0) return memo[k] === 1;
    let ok = false;
    const ch = text.chars[i] as string;
    if (query.startsWith(ch.toLowerCase(), j)) ok = go(i + 1, j + ch.length);
    if (!ok) {
      for (const r of text.readings[i] as string[]) {
        if (r === ch.toLowerCase()) continue;
        let len = 0;
        while (len < r.length && j + len < m && r[len] === query[j + len]) {
          len++;
          if (go(i + 1, j + len)) {
            ok = true;
            break;
          }
        }
        if (ok) break;
      }
    }
    memo[k] = ok ? 1 : 2;
    return ok;
  };
  for (let start = 0; start < n; start++) if (go(start, 0)) return start;
  return -1;
}

export function buildIndex<T extends Searchable>(items: readonly T[]): IndexEntry<T>[] {
  return items.map((item) => ({ item, name: prepare(item.name), department: prepare(item.department) }));
}

/**
 * The services matching `query`, best first: a match in the name before one in the department, a match at
 * the start before one inside, the Chinese text itself before its pinyin; ties keep the hall's order.
 */
export function searchServices<T extends Searchable>(index: readonly IndexEntry<T>[], query: string): T[] {
  const q = normalizeQuery(query);
  if (q === '') return [];
  const scored: { item: T; score: number; order: number }[] = [];
  index.forEach((e, order) => {
    let score = Number.POSITIVE_INFINITY;
    const inName = matchAt(e.name, q);
    if (inName >= 0) score = Math.min(inName, 5) + (e.item.name.includes(query.trim()) ? 0 : 1);
    else {
      const inDept = matchAt(e.department, q);
      if (inDept >= 0) score = 10 + Math.min(inDept, 5);
    }
    if (Number.isFinite(score)) scored.push({ item: e.item, score, order });
  });
  scored.sort((a, b) => a.score - b.score || a.order - b.order);
  return scored.map((s) => s.item);
}
