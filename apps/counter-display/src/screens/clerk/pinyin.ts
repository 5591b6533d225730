/**
 * Pinyin initials of Chinese text (就业登记 → JYDJ), for the transfer search. No dictionary: each character
 * is placed between the first characters of each initial in the pinyin collation (ICU, in every Chromium
 * and Node). Good enough for searching names; polyphones (行, 长) take the reading the collation picks.
 */
const FIRSTS = '吖八嚓咑妸发旮哈丌咔垃妈拏噢妑七呥仨他屲夕丫帀';
const LETTERS = 'ABCDEFGHJKLMNOPQRSTWXYZ';
const HAN = /\p{Script=Han}/u;
let collator: Intl.Collator | null = null;

function initialOf(ch: string): string {
  if (/[A-Za-z0-9]/.test(ch)) return ch.toUpperCase();
  if (!HAN.test(ch)) return '';
  collator ??= new Intl.Collator('zh-Hans-CN-u-co-pinyin');
  for (let i = FIRSTS.length - 1; i >= 0; i--) {
    if (collator.compare(ch, FIRSTS[i] as string) >= 0) return LETTERS[i] as string;
  }
  return '';
}

export function pinyinInitials(text: string): string {
  let out = '';
  for (const ch of text) out += initialOf(ch);
  return out;
}
