/**
 * 居民身份证 numbers (GB 11643-1999): 17 digits and a check character computed with ISO 7064 MOD 11-2.
 * Only pure checks and masking here; the server keeps nothing but a keyed hash of the number.
 */
const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2] as const;
const CHECK = '10X98765432';

export type IdNumberProblem = 'format' | 'region' | 'birth_date' | 'check_digit';

/** The check character of the first 17 digits. */
export function idNumberCheckChar(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * (WEIGHTS[i] as number);
  return CHECK[sum % 11] as string;
}

/** The birth date (YYYY-MM-DD) written in an 18-character number, or null when it is not a real date. */
export function idNumberBirthDate(id: string): string | null {
  const y = Number(id.slice(6, 10));
  const m = Number(id.slice(10, 12));
  const d = Number(id.slice(12, 14));
  if (!(y >= 1880 && m >= 1 && m <= 12 && d >= 1 && d <= 31)) return null;
  const date = new Date(Date.UTC(y, m - 1, d));
  if (date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d) return null;
  return `${id.slice(6, 10)}-${id.slice(10, 12)}-${id.slice(12, 14)}`;
}

/**
 * Validates an 18-character number. `today` (YYYY-MM-DD) rejects birth dates in the future.
 * Returns null when valid, else the first problem found.
 */
export function checkIdNumber(raw: string, today?: string): IdNumberProblem | null {
  const id = raw.toUpperCase();
  if (!/^\d{17}[\dX]$/.test(id)) return 'format';
  if (!/^[1-9]\d/.test(id) || id.startsWith('00')) return 'region';
  const birth = idNumberBirthDate(id);
  if (birth === null || (today !== undefined && birth > today)) return 'birth_date';
  if (idNumberCheckChar(id.slice(0, 17)) !== id[17]) return 'check_digit';
  return null;
}

export function isValidIdNumber(raw: string, today?: string): boolean {
  return checkIdNumber(raw, today) === null;
}

/** Age in whole years on `today` (YYYY-MM-DD) of a valid number's holder. */
export function ageOn(id: string, today: string): number | null {
  const birth = idNumberBirthDate(id);
  if (birth === null) return null;
  let age = Number(today.slice(0, 4)) - Number(birth.slice(0, 4));
  if (today.slice(5) < birth.slice(5)) age -= 1;
  return age;
}

/** 110101********123X → the first 6 and last 4 kept: "110101********123X". Any other length: all but the last 2 masked. */
export function maskIdNumber(raw: string): string {
  const id = raw.trim();
  if (id.length === 18) return `${id.slice(0, 6)}${'*'.repeat(8)}${id.slice(14)}`;
  if (id.length <= 2) return '*'.repeat(id.length);
  return `${'*'.repeat(id.length - 2)}${id.slice(-2)}`;
}

/** 张三 → 张*, 欧阳娜娜 → 欧***; names are shown masked on every public screen and print. */
export function maskName(name: string): string {
  const chars = Array.from(name.trim());
  if (chars.length === 0) return '';
  return `${chars[0]}${'*'.repeat(Math.max(1, chars.length - 1))}`;
}
