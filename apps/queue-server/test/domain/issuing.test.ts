import { describe, expect, it } from 'vitest';
import { codeOf, idNumber, World, withService, withSettings } from './harness.js';

/** A hand-checked number: Σ digit × weight = 167, 167 mod 11 = 2 → 'X'. */
const ID_X = '11010519491231002X';
/** Born 1880-01-01 (the earliest year accepted): Σ = 195, 195 mod 11 = 8 → '4'. */
const ID_1880 = '440524188001010014';

describe('I1 unknown service', () => {
  it('I1 an unknown service is NOT_FOUND, before any other check', () => {
    const w = new World({ now: '2026-11-29T09:00:00+08:00' }); // a Sunday
    expect(codeOf(w.issue('no-such-service'))).toBe('NOT_FOUND');
    expect(codeOf(w.issue('no-such-service', 'none', '123'))).toBe('NOT_FOUND');
  });
});

describe('I2 ID numbers', () => {
  it.each([
    ['a hand-checked number ending in X', ID_X],
    ['the same with a lower-case x', ID_X.toLowerCase()],
    ['a holder born in 1880', ID_1880],
    ['a holder born on 29 Feb 2000 (a leap year)', idNumber('11010520000229123')],
    ['a holder born on 29 Feb 2024', idNumber('11010520240229123')],
    ['a holder born today', idNumber('11010520261130123')],
  ])('I2 accepts %s', (_what, id) => {
    const w = new World();
    expect(codeOf(w.issue('gen-a', 'none', id))).toBe('ok');
  });

  it.each([
    ['a wrong check character', '110105194912310021'],
    ['a wrong check digit on a valid date', `${ID_1880.slice(0, 17)}5`],
    ['17 characters', ID_X.slice(0, 17)],
    ['19 characters', `${ID_X}0`],
    ['a letter inside', '11010519491231A02X'],
    ['X anywhere but last', 'X10105194912310021'],
    ['29 Feb 1900 (not a leap year)', idNumber('11010519000229123')],
    ['29 Feb 2023', idNumber('11010520230229123')],
    ['30 Feb', idNumber('11010520000230123')],
    ['month 13', idNumber('11010520001301123')],
    ['day 00', idNumber('11010520000100123')],
    ['a birth date tomorrow', idNumber('11010520261201123')],
    ['a birth year in the future', idNumber('11010520300101123')],
    ['a birth year before 1880', idNumber('11010518791231123')],
    ['an empty string', ''],
  ])('I2 refuses %s: INVALID_ID_NUMBER', (_what, id) => {
    const w = new World();
    expect(codeOf(w.issue('gen-a', 'none', id))).toBe('INVALID_ID_NUMBER');
    expect(w.state.tickets.size).toBe(0);
  });

  it('I2 is checked before I3: a bad number at a suspended service is INVALID_ID_NUMBER', () => {
    const w = new World();
    expect(codeOf(w.issue('closed', 'none', '110105194912310021'))).toBe('INVALID_ID_NUMBER');
  });

  it('I2 the number is kept only as the keyed hash of its upper-case form, never in clear', () => {
    const w = new World();
    const t = w.take('gen-a', 'none', ID_X.toLowerCase());
    expect(w.hashed).toEqual([ID_X]);
    expect(t.personKey).toBe(w.env().personKey(ID_X));
    const json = JSON.stringify([...w.state.tickets.values()]);
    expect(json.toUpperCase()).not.toContain(ID_X);
    expect(json).not.toContain(ID_X.slice(6, 14));
  });

  it('I2 a ticket issued without a number has no person key', () => {
    const w = new World();
    expect(w.take('gen-a').personKey).toBeNull();
    expect(w.hashed).toEqual([]);
  });
});

describe('I3 suspended services', () => {
  it('I3 a suspended service is SERVICE_CLOSED', () => {
    const w = new World();
    expect(codeOf(w.issue('closed'))).toBe('SERVICE_CLOSED');
    expect(codeOf(w.issue('closed', 'elderly', ID_X))).toBe('SERVICE_CLOSED');
  });

  it('I3 is checked before I4: a suspended service on a Sunday is SERVICE_CLOSED', () => {
    const w = new World({ now: '2026-11-29T09:00:00+08:00' });
    expect(codeOf(w.issue('closed'))).toBe('SERVICE_CLOSED');
  });
});

describe('I4 open days and issuing hours', () => {
  // The hall's default hours are [08:30, 11:45) and [13:30, 17:00); 公积金 (fund) has [08:30, 11:30), [13:30, 16:30).
  it.each([
    ['08:29:59', 'gen-a', 'OUTSIDE_HOURS'],
    ['08:30:00', 'gen-a', 'ok'],
    ['11:44:59', 'gen-a', 'ok'],
    ['11:45:00', 'gen-a', 'OUTSIDE_HOURS'],
    ['12:30:00', 'gen-a', 'OUTSIDE_HOURS'],
    ['13:29:59', 'gen-a', 'OUTSIDE_HOURS'],
    ['13:30:00', 'gen-a', 'ok'],
    ['16:59:59', 'gen-a', 'ok'],
    ['17:00:00', 'gen-a', 'OUTSIDE_HOURS'],
    ['00:00:00', 'gen-a', 'OUTSIDE_HOURS'],
    ['08:30:00', 'fund', 'ok'],
    ['11:29:59', 'fund', 'ok'],
    ['11:30:00', 'fund', 'OUTSIDE_HOURS'],
    ['11:40:00', 'fund', 'OUTSIDE_HOURS'],
    ['16:29:59', 'fund', 'ok'],
    ['16:30:00', 'fund', 'OUTSIDE_HOURS'],
  ])('I4 on Monday 2026-11-30 at %s, %s: %s', (time, service, expected) => {
    const w = new World({ now: `2026-11-30T${time}+08:00` });
    expect(codeOf(w.issue(service))).toBe(expected);
  });

  it.each([
    ['2026-11-28', 'a Saturday', 'OUTSIDE_HOURS'],
    ['2026-11-29', 'a Sunday', 'OUTSIDE_HOURS'],
    ['2026-10-01', 'National Day, a Thursday', 'OUTSIDE_HOURS'],
    ['2026-10-07', 'the last day of the National Day holiday, a Wednesday', 'OUTSIDE_HOURS'],
    ['2026-10-08', 'the Thursday after the holiday', 'ok'],
    ['2026-10-10', 'a Saturday worked in lieu (调休) of National Day', 'ok'],
    ['2026-02-14', 'a Saturday worked in lieu (调休) of the Spring Festival', 'ok'],
    ['2026-02-17', 'the Spring Festival, a Tuesday', 'OUTSIDE_HOURS'],
    ['2026-05-09', 'a Saturday worked in lieu (调休) of Labour Day', 'ok'],
    ['2026-05-01', 'Labour Day, a Friday', 'OUTSIDE_HOURS'],
    ['2050-01-03', 'a Monday beyond the calendar’s years', 'ok'],
    ['2050-01-08', 'a Saturday beyond the calendar’s years', 'OUTSIDE_HOURS'],
  ])('I4 on %s (%s) at 10:00: %s', (day, _what, expected) => {
    const w = new World({ now: `${day}T10:00:00+08:00` });
    expect(w.state.businessDay).toBe(day);
    expect(codeOf(w.issue('gen-a'))).toBe(expected);
  });

  it('I4 the weekdays named above are what the calendar says they are', () => {
    const weekday = (d: string) => new Date(`${d}T12:00:00Z`).getUTCDay();
    expect(['2026-10-10', '2026-02-14', '2026-05-09', '2026-11-28', '2050-01-08'].map(weekday)).toEqual([6, 6, 6, 6, 6]);
    expect(weekday('2026-11-29')).toBe(0);
    expect(['2026-10-01', '2026-10-08'].map(weekday)).toEqual([4, 4]);
  });

  it("I4 the hall's closed dates are closed even on a working day", () => {
    const w = new World({ edit: withSettings({ closedDates: ['2026-11-30'] }) });
    expect(codeOf(w.issue('gen-a'))).toBe('OUTSIDE_HOURS');
    const next = new World({ edit: withSettings({ closedDates: ['2026-11-30'] }), now: '2026-12-01T09:00:00+08:00' });
    expect(codeOf(next.issue('gen-a'))).toBe('ok');
  });

  it('I4 openDays everyday opens weekends and holidays, but not the closed dates nor outside the hours', () => {
    const edit = (closed: string[]) => withSettings({ openDays: 'everyday', closedDates: closed });
    expect(codeOf(new World({ edit: edit([]), now: '2026-11-29T09:00:00+08:00' }).issue('gen-a'))).toBe('ok');
    expect(codeOf(new World({ edit: edit([]), now: '2026-10-01T09:00:00+08:00' }).issue('gen-a'))).toBe('ok');
    expect(codeOf(new World({ edit: edit(['2026-10-01']), now: '2026-10-01T09:00:00+08:00' }).issue('gen-a'))).toBe(
      'OUTSIDE_HOURS',
    );
    expect(codeOf(new World({ edit: edit([]), now: '2026-11-29T18:00:00+08:00' }).issue('gen-a'))).toBe('OUTSIDE_HOURS');
  });

  it('I4 demo mode (enforceHours false) issues on a Sunday night and on a holiday', () => {
    expect(codeOf(new World({ enforceHours: false, now: '2026-11-29T23:30:00+08:00' }).issue('gen-a'))).toBe('ok');
    expect(codeOf(new World({ enforceHours: false, now: '2026-10-01T03:00:00+08:00' }).issue('fund'))).toBe('ok');
  });

  it('I4 demo mode still refuses a suspended service (I3) and the daily cap (I5)', () => {
    const w = new World({ enforceHours: false, now: '2026-11-29T23:30:00+08:00' });
    expect(codeOf(w.issue('closed'))).toBe('SERVICE_CLOSED');
    for (let i = 0; i < 3; i++) w.take('re');
    expect(codeOf(w.issue('re'))).toBe('DAILY_CAP_REACHED');
  });

  it('I4 is checked before I5: a capped service outside the hours is OUTSIDE_HOURS', () => {
    const w = new World();
    for (let i = 0; i < 3; i++) w.take('re');
    w.at('2026-11-30T18:00:00+08:00');
    expect(codeOf(w.issue('re'))).toBe('OUTSIDE_HOURS');
  });
});

describe('I5 daily cap', () => {
  it('I5 不动产 (cap 3) issues three tickets, then DAILY_CAP_REACHED', () => {
    const w = new World();
    expect([w.take('re'), w.take('re'), w.take('re')].map((t) => t.number)).toEqual(['C001', 'C002', 'C003']);
    expect(codeOf(w.issue('re'))).toBe('DAILY_CAP_REACHED');
    expect(codeOf(w.issue('re', 'elderly'))).toBe('DAILY_CAP_REACHED');
    // other services are not capped by it
    expect(codeOf(w.issue('gen-a'))).toBe('ok');
  });

  it('I5 counts tickets of any status: cancelled, finished and no-show tickets still count', () => {
    const w = new World();
    const a = w.take('re');
    w.take('re');
    w.take('re');
    w.ok(w.cancel(a.id));
    w.open('w4');
    w.call('w4');
    w.ok(w.finish('w4'));
    w.call('w4');
    w.ok(w.noShow('w4'));
    expect(codeOf(w.issue('re'))).toBe('DAILY_CAP_REACHED');
  });

  it('I5 tickets transferred in are not counted; a ticket transferred out still counts for its issuing service', () => {
    const w = new World();
    w.open('w1');
    const moved = [w.take('gen-a'), w.take('gen-a')];
    for (const _ of moved) {
      w.call('w1');
      w.ok(w.transfer('w1', { serviceId: 're' }));
    }
    expect(w.take('re').number).toBe('C001');
    w.take('re');
    w.take('re');
    expect(codeOf(w.issue('re'))).toBe('DAILY_CAP_REACHED');
    // and out: 're' tickets moved elsewhere still count for 're'
    const v = new World({ edit: withService('re', { dailyCap: 2 }) });
    v.open('w4');
    v.take('re');
    v.call('w4');
    v.ok(v.transfer('w4', { serviceId: 'gen-a' }));
    v.take('re');
    expect(codeOf(v.issue('re'))).toBe('DAILY_CAP_REACHED');
  });
});

describe('I6 per-person limit', () => {
  /** 不动产 with a cap high enough that only the per-person limit (1) can refuse. */
  const roomy = () => new World({ edit: withService('re', { dailyCap: 50 }) });
  const OTHER = idNumber('32010619850615123');

  it('I6 the same ID number twice for 不动产 (limit 1) is PERSON_LIMIT_REACHED', () => {
    const w = roomy();
    w.take('re', 'none', ID_X);
    expect(codeOf(w.issue('re', 'none', ID_X))).toBe('PERSON_LIMIT_REACHED');
    expect(codeOf(w.issue('re', 'elderly', ID_X.toLowerCase()))).toBe('PERSON_LIMIT_REACHED');
  });

  it('I6 another number, no number, or another service are not limited by it', () => {
    const w = roomy();
    w.take('re', 'none', ID_X);
    expect(codeOf(w.issue('re', 'none', OTHER))).toBe('ok');
    expect(codeOf(w.issue('re'))).toBe('ok');
    expect(codeOf(w.issue('re'))).toBe('ok');
    expect(codeOf(w.issue('gen-a', 'none', ID_X))).toBe('ok');
    expect(codeOf(w.issue('gen-a', 'none', ID_X))).toBe('ok');
  });

  it('I6 a cancelled ticket does not count; a finished or no-show one does', () => {
    const w = roomy();
    const first = w.take('re', 'none', ID_X);
    w.ok(w.cancel(first.id));
    const second = w.take('re', 'none', ID_X);
    expect(second.number).toBe('C002');
    expect(codeOf(w.issue('re', 'none', ID_X))).toBe('PERSON_LIMIT_REACHED');
    w.open('w4');
    w.call('w4');
    w.ok(w.noShow('w4'));
    expect(codeOf(w.issue('re', 'none', ID_X))).toBe('PERSON_LIMIT_REACHED');
  });

  it('I6 is checked after I5: with both reached the answer is DAILY_CAP_REACHED', () => {
    const w = new World();
    w.take('re', 'none', ID_X);
    w.take('re');
    w.take('re');
    expect(codeOf(w.issue('re', 'none', ID_X))).toBe('DAILY_CAP_REACHED');
  });

  it('I6 a limit of 2 allows two tickets per person', () => {
    const w = new World({ edit: withService('gen-a', { perPersonDailyLimit: 2 }) });
    w.take('gen-a', 'none', ID_X);
    w.take('gen-a', 'none', ID_X);
    expect(codeOf(w.issue('gen-a', 'none', ID_X))).toBe('PERSON_LIMIT_REACHED');
    expect(codeOf(w.issue('gen-b', 'none', ID_X))).toBe('ok');
  });
});

describe('I9 elderly priority from the ID number', () => {
  // The World's business day is 2026-11-30.
  const turns60 = idNumber('11010519661130123'); // 60 on the business day itself
  const turns60Tomorrow = idNumber('11010519661201123'); // still 59

  it('I9 a holder of 60 or more gets elderly priority without asking; 59 does not', () => {
    const w = new World();
    expect(w.take('gen-a', 'none', ID_X).priority).toBe('elderly');
    expect(w.take('gen-a', 'none', turns60).priority).toBe('elderly');
    expect(w.take('gen-a', 'none', turns60Tomorrow).priority).toBe('none');
    expect(w.take('gen-a').priority).toBe('none');
  });

  it('I9 another priority asked for is kept; the age comes from the hall setting', () => {
    const w = new World();
    expect(w.take('gen-a', 'disabled', ID_X).priority).toBe('disabled');
    const strict = new World({ edit: withSettings({ elderlyAge: 80 }) });
    expect(strict.take('gen-a', 'none', ID_X).priority).toBe('none'); // 76
    expect(strict.take('gen-a', 'none', ID_1880).priority).toBe('elderly');
  });

  it('I9 the elderly ticket is ranked with the head start (R2)', () => {
    const w = new World();
    const young = w.take('gen-a', 'none', turns60Tomorrow);
    w.advance(5);
    const old = w.take('gen-a', 'none', ID_X);
    w.open('w1');
    expect(w.call('w1').id).toBe(old.id);
    expect(young.priority).toBe('none');
  });
});
