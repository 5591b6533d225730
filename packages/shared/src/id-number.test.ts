import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  ageOn,
  checkIdNumber,
  idNumberBirthDate,
  idNumberCheckChar,
  isValidIdNumber,
  maskIdNumber,
  maskName,
} from './id-number.js';

/**
 * ISO 7064 MOD 11-2 the other way round from the code: the recursive form p ← 2(p + a) mod 11, check
 * = (12 − p) mod 11, 10 written X.
 */
function checkCharIso(first17: string): string {
  let p = 0;
  for (const c of first17) p = ((p + Number(c)) * 2) % 11;
  const v = (12 - p) % 11;
  return v === 10 ? 'X' : String(v);
}
const withCheck = (first17: string) => `${first17}${checkCharIso(first17)}`;

/** The verification form of the standard: Σ aᵢ · 2^(17−i) over all 18 characters ≡ 1 (mod 11). */
function verifies(id: string): boolean {
  let sum = 0;
  for (let i = 0; i < 18; i++) {
    const c = id[i] as string;
    sum += (c === 'X' ? 10 : Number(c)) * (2 ** (17 - i) % 11);
  }
  return sum % 11 === 1;
}

const digits17 = fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: 17, maxLength: 17 });

describe('I2 GB 11643 check character', () => {
  it('I2 hand-checked numbers: 11010519491231002X (Σ = 167, mod 11 = 2 → X) and 440524188001010014 (Σ = 195 → 8 → 4)', () => {
    expect(idNumberCheckChar('11010519491231002')).toBe('X');
    expect(idNumberCheckChar('44052418800101001')).toBe('4');
    expect(checkIdNumber('11010519491231002X')).toBeNull();
    expect(checkIdNumber('440524188001010014')).toBeNull();
  });

  it('I2 property: the check character is the ISO 7064 MOD 11-2 one, and the full number verifies', () => {
    fc.assert(
      fc.property(digits17, (first17) => {
        const c = idNumberCheckChar(first17);
        expect(c).toBe(checkCharIso(first17));
        expect(verifies(first17 + c)).toBe(true);
      }),
      { seed: 42, numRuns: 500 },
    );
  });

  it('I2 property: any other check character is refused as check_digit', () => {
    const valid = withCheck('11010519800101123');
    fc.assert(
      fc.property(fc.constantFrom(...'0123456789X'), (c) => {
        const id = valid.slice(0, 17) + c;
        expect(checkIdNumber(id)).toBe(c === valid[17] ? null : 'check_digit');
      }),
      { seed: 42, numRuns: 50 },
    );
  });

  it('I2 a check character X may be written x', () => {
    expect(checkIdNumber('11010519491231002x')).toBeNull();
    expect(isValidIdNumber('11010519491231002x')).toBe(true);
  });

  it.each([
    ['17 characters', '11010519491231002'],
    ['19 characters', '11010519491231002X1'],
    ['a letter inside', '1101051949123100AX'],
    ['X not last', '1101051949123100X2'],
    ['spaces', ' 11010519491231002X'],
    ['an empty string', ''],
  ])('I2 %s: format', (_what, id) => {
    expect(checkIdNumber(id)).toBe('format');
  });

  it('I2 a region code starting with 0: region', () => {
    expect(checkIdNumber(withCheck('01010519491231002'))).toBe('region');
  });
});

describe('I2 birth dates', () => {
  it.each([
    ['2000-02-29 (divisible by 400: a leap year)', '20000229', null],
    ['2024-02-29', '20240229', null],
    ['1900-02-29 (divisible by 100 only: not a leap year)', '19000229', 'birth_date'],
    ['2023-02-29', '20230229', 'birth_date'],
    ['2000-02-30', '20000230', 'birth_date'],
    ['2001-04-31', '20010431', 'birth_date'],
    ['2001-00-10', '20010010', 'birth_date'],
    ['2001-13-10', '20011310', 'birth_date'],
    ['2001-01-00', '20010100', 'birth_date'],
    ['2001-01-32', '20010132', 'birth_date'],
    ['1879-12-31 (before 1880)', '18791231', 'birth_date'],
    ['1880-01-01', '18800101', null],
  ])('I2 born %s: %s', (_what, date, expected) => {
    expect(checkIdNumber(withCheck(`110105${date}123`))).toBe(expected);
  });

  it('I2 a birth date in the future is refused when today is known; today itself is fine', () => {
    const tomorrow = withCheck('11010520261201123');
    const today = withCheck('11010520261130123');
    expect(checkIdNumber(tomorrow, '2026-11-30')).toBe('birth_date');
    expect(checkIdNumber(today, '2026-11-30')).toBeNull();
    expect(checkIdNumber(tomorrow, '2026-12-01')).toBeNull();
    expect(isValidIdNumber(tomorrow, '2026-11-30')).toBe(false);
  });

  it('I2 the birth date read from a number', () => {
    expect(idNumberBirthDate('11010519491231002X')).toBe('1949-12-31');
    expect(idNumberBirthDate(withCheck('11010520230229123'))).toBeNull();
  });

  it('I2 age in whole years on a day (birthdays not yet reached do not count)', () => {
    expect(ageOn('11010519491231002X', '2026-11-30')).toBe(76);
    expect(ageOn('11010519491231002X', '2026-12-31')).toBe(77);
    const leapling = withCheck('11010520000229123');
    expect(ageOn(leapling, '2025-02-28')).toBe(24);
    expect(ageOn(leapling, '2025-03-01')).toBe(25);
  });
});

describe('I2 S4 masking', () => {
  it('I2 S4 an 18-character number keeps its first 6 and last 4: the birth date is hidden', () => {
    const masked = maskIdNumber('11010519491231002X');
    expect(masked).toBe('110105********002X');
    expect(masked).toHaveLength(18);
    expect(masked).not.toContain('19491231');
  });

  it('I2 S4 property: a masked 18-character number shows at most the region and the last 4', () => {
    fc.assert(
      fc.property(digits17, (first17) => {
        const id = withCheck(first17);
        const m = maskIdNumber(id);
        expect(m.slice(0, 6)).toBe(id.slice(0, 6));
        expect(m.slice(6, 14)).toBe('********');
        expect(m.slice(14)).toBe(id.slice(14));
      }),
      { seed: 42, numRuns: 200 },
    );
  });

  it.each([
    ['12345', '***45'],
    ['12', '**'],
    ['1', '*'],
    ['', ''],
    [' 11010519491231002X ', '110105********002X'],
  ])('I2 S4 maskIdNumber(%j) = %j', (raw, masked) => {
    expect(maskIdNumber(raw)).toBe(masked);
  });

  it.each([
    ['张三', '张*'],
    ['欧阳娜娜', '欧***'],
    ['李', '李*'],
    [' 王五 ', '王*'],
    ['𠮷田', '𠮷*'],
    ['', ''],
  ])('S4 maskName(%j) = %j: only the first character shows', (name, masked) => {
    expect(maskName(name)).toBe(masked);
  });
});
