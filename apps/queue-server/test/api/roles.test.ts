/**
 * A3: the role × endpoint matrix. Every route of the route table has a row; every principal a column; each
 * cell is `ok` (allowed: neither 401 nor 403, nor a 5xx), `401` or `403` (with the contract's error body).
 *
 * The counter is w1; "clerk" is clerk1 (assigned to w1), "o-clk" clerk5 (assigned to w5 only), "o-key"
 * the call keypad of w5. The counter display, the pad and the keypad belong to w1.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuthStore } from '../../src/adapters/auth.js';
import { routes } from '../../src/adapters/http.js';
import { PairingStore } from '../../src/adapters/pairing.js';
import { expectError, type HallServer, hallServer } from './helpers.js';

const PRINCIPALS = [
  'none',
  'bad',
  'admin',
  'manager',
  'clerk',
  'o-clk',
  'kiosk',
  'h-dsp',
  'c-dsp',
  'pad',
  'keypad',
  'o-key',
] as const;
type PrincipalName = (typeof PRINCIPALS)[number];
const PERSON_USERNAMES: Partial<Record<PrincipalName, string>> = {
  admin: 'admin',
  manager: 'manager',
  clerk: 'clerk1',
  'o-clk': 'clerk5',
};

const MATRIX = `
                                          none bad  admin manager clerk o-clk kiosk h-dsp c-dsp pad  keypad o-key
GET    /api/v1/health                     ok   ok   ok    ok      ok    ok    ok    ok    ok    ok   ok     ok
GET    /api/v1/openapi.json               ok   ok   ok    ok      ok    ok    ok    ok    ok    ok   ok     ok
GET    /t/{key}                           ok   ok   ok    ok      ok    ok    ok    ok    ok    ok   ok     ok
POST   /api/v1/auth/login                 ok   ok   ok    ok      ok    ok    ok    ok    ok    ok   ok     ok
POST   /api/v1/auth/logout                401  401  ok    ok      ok    ok    403   403   403   403  403    403
GET    /api/v1/me                         401  401  ok    ok      ok    ok    ok    ok    ok    ok   ok     ok
POST   /api/v1/users                      401  401  ok    403     403   403   403   403   403   403  403    403
GET    /api/v1/users                      401  401  ok    ok      403   403   403   403   403   403  403    403
POST   /api/v1/devices                    401  401  ok    403     403   403   403   403   403   403  403    403
GET    /api/v1/devices                    401  401  ok    ok      403   403   403   403   403   403  403    403
DELETE /api/v1/devices/{id}               401  401  ok    403     403   403   403   403   403   403  403    403
POST   /api/v1/devices/me/reports         401  401  403   403     403   403   ok    ok    ok    ok   ok     ok
POST   /api/v1/pairings                   ok   ok   ok    ok      ok    ok    ok    ok    ok    ok   ok     ok
POST   /api/v1/pairings/{id}/claim        ok   ok   ok    ok      ok    ok    ok    ok    ok    ok   ok     ok
GET    /api/v1/pairings                   401  401  ok    ok      403   403   403   403   403   403  403    403
POST   /api/v1/pairings/{id}/approve      401  401  ok    ok      403   403   403   403   403   403  403    403
DELETE /api/v1/pairings/{id}              401  401  ok    ok      403   403   403   403   403   403  403    403
GET    /api/v1/hall                       401  401  ok    ok      ok    ok    ok    ok    ok    ok   ok     ok
GET    /api/v1/guides                     401  401  ok    ok      ok    ok    ok    ok    ok    ok   ok     ok
PUT    /api/v1/hall/notice                401  401  ok    ok      403   403   403   403   403   403  403    403
GET    /api/v1/queues                     401  401  ok    ok      ok    ok    ok    ok    ok    ok   ok     ok
POST   /api/v1/tickets                    401  401  ok    ok      ok    ok    ok    403   403   403  403    403
GET    /api/v1/tickets/{id}               401  401  ok    ok      ok    ok    ok    ok    ok    ok   ok     ok
POST   /api/v1/tickets/{id}/cancel        401  401  ok    ok      ok    403   403   403   403   403  403    403
POST   /api/v1/tickets/{id}/reactivate    401  401  ok    ok      ok    403   403   403   403   403  403    403
POST   /api/v1/counters/{id}/open         401  401  ok    ok      ok    403   403   403   403   403  ok     403
POST   /api/v1/counters/{id}/close        401  401  ok    ok      ok    403   403   403   403   403  ok     403
POST   /api/v1/counters/{id}/pause        401  401  ok    ok      ok    403   403   403   403   403  ok     403
POST   /api/v1/counters/{id}/resume       401  401  ok    ok      ok    403   403   403   403   403  ok     403
POST   /api/v1/counters/{id}/call-next    401  401  ok    ok      ok    403   403   403   403   403  ok     403
POST   /api/v1/counters/{id}/call-number  401  401  ok    ok      ok    403   403   403   403   403  ok     403
POST   /api/v1/counters/{id}/recall       401  401  ok    ok      ok    403   403   403   403   403  ok     403
POST   /api/v1/counters/{id}/start        401  401  ok    ok      ok    403   403   403   403   403  ok     403
POST   /api/v1/counters/{id}/finish       401  401  ok    ok      ok    403   403   403   403   403  ok     403
POST   /api/v1/counters/{id}/no-show      401  401  ok    ok      ok    403   403   403   403   403  ok     403
POST   /api/v1/counters/{id}/transfer     401  401  ok    ok      ok    403   403   403   403   403  ok     403
POST   /api/v1/evaluations                401  401  403   403     ok    403   403   403   403   ok   403    403
`;

type Expected = 'ok' | '401' | '403';
interface Row {
  method: string;
  path: string;
  cells: Record<PrincipalName, Expected>;
}

function parseMatrix(): Row[] {
  const lines = MATRIX.split('\n').filter((l) => l.trim() !== '');
  const header = (lines.shift() as string).trim().split(/\s+/);
  expect(header).toEqual([...PRINCIPALS]);
  return lines.map((line) => {
    const [method, path, ...cells] = line.trim().split(/\s+/) as [string, string, ...string[]];
    expect(cells, line).toHaveLength(PRINCIPALS.length);
    for (const c of cells) expect(['ok', '401', '403'], line).toContain(c);
    return {
      method,
      path,
      cells: Object.fromEntries(PRINCIPALS.map((p, i) => [p, cells[i] as Expected])) as Record<PrincipalName, Expected>,
    };
  });
}

describe('A3 the role × endpoint matrix', () => {
  let s: HallServer;
  const rows = parseMatrix();
  let tokens: Record<PrincipalName, string | null>;
  const ids = { waiting: '', noShow: '', done: '', statusKey: '', device: '' };

  beforeAll(async () => {
    s = await hallServer();
    tokens = {
      none: null,
      bad: `ymu_${'Q'.repeat(43)}`,
      admin: s.t.admin,
      manager: s.t.manager,
      clerk: s.t.clerk1,
      'o-clk': s.t.clerk5,
      kiosk: s.t.kiosk,
      'h-dsp': s.t.hallDisplay,
      'c-dsp': s.t.counterDisplay1,
      pad: s.t.pad1,
      keypad: s.t.keypad1,
      'o-key': s.t.keypad5,
    };
    // a done ticket and a no-show at w1, a waiting ticket, a spare device to revoke
    const issue = async (requestId: string) =>
      (await s.api('POST', '/tickets', s.t.kiosk, { serviceId: 'gen-a', requestId })).json.ticket;
    const done = await issue('setup-done');
    const noShow = await issue('setup-no-show');
    const waiting = await issue('setup-waiting');
    await s.api('POST', '/counters/w1/open', s.t.manager);
    expect((await s.api('POST', '/counters/w1/call-next', s.t.manager, {})).json.ticket.id).toBe(done.id);
    expect((await s.api('POST', '/counters/w1/finish', s.t.manager)).json.ticket.status).toBe('done');
    expect((await s.api('POST', '/counters/w1/call-next', s.t.manager, {})).json.ticket.id).toBe(noShow.id);
    expect((await s.api('POST', '/counters/w1/no-show', s.t.manager)).json.ticket.status).toBe('no_show');
    ids.waiting = waiting.id;
    ids.noShow = noShow.id;
    ids.done = done.id;
    ids.statusKey = waiting.statusPath.slice('/t/'.length);
    ids.device = (await s.device('kiosk')).id;
  });
  afterAll(async () => s?.close());

  it('A3 the matrix has a row for every route of the route table', () => {
    const table = routes({
      service: s.app.service,
      auth: {} as AuthStore,
      clock: s.clock,
      onRevoked: () => {},
      pairings: new PairingStore(s.clock),
    });
    const inMatrix = new Set(rows.map((r) => `${r.method} ${r.path}`));
    for (const def of table) expect(inMatrix, `${def.method} ${def.path} has no row`).toContain(`${def.method} ${def.path}`);
    expect(rows.length).toBe(table.length + 2); // + openapi.json and the status page
  });

  const pathOf = (row: Row) =>
    row.path
      .replace('/t/{key}', `/t/${ids.statusKey}`)
      .replace('/devices/{id}', `/devices/${ids.device}`)
      .replace('/pairings/{id}', '/pairings/pair_matrix0000') // unknown: 404 is allowed, 401/403 are not
      .replace('/counters/{id}', '/counters/w1')
      .replace(
        '/tickets/{id}',
        `/tickets/${row.path.endsWith('/reactivate') ? ids.noShow : row.path.endsWith('/cancel') ? ids.waiting : ids.waiting}`,
      );

  let n = 0;
  const bodyOf = (row: Row): unknown => {
    n++;
    switch (`${row.method} ${row.path}`) {
      case 'POST /api/v1/auth/login':
        return { username: 'manager', password: 'manager-pass' };
      case 'POST /api/v1/users':
        return { username: `matrix-${n}`, password: 'matrix-password', name: '矩阵用户', role: 'clerk' };
      case 'POST /api/v1/devices':
        return { kind: 'kiosk', name: `矩阵设备 ${n}` };
      case 'POST /api/v1/pairings':
        return { kind: 'hall-display', name: `矩阵屏幕 ${n}` };
      case 'POST /api/v1/pairings/{id}/claim':
        return { secret: 'matrix-secret-000000' };
      case 'POST /api/v1/pairings/{id}/approve':
        return {};
      case 'POST /api/v1/devices/me/reports':
        return { component: 'printer', fault: n % 2 === 0 ? 'PAPER_OUT' : null };
      case 'PUT /api/v1/hall/notice':
        return { notice: `公告 ${n}` };
      case 'POST /api/v1/tickets':
        return { serviceId: 'gen-a', requestId: `matrix-${n}` };
      case 'POST /api/v1/counters/{id}/call-next':
        return {};
      case 'POST /api/v1/counters/{id}/call-number':
        return { number: '999' };
      case 'POST /api/v1/counters/{id}/transfer':
        return { serviceId: 'gen-b' };
      case 'POST /api/v1/evaluations':
        return { ticketId: ids.done, level: 'satisfied' };
      default:
        return undefined;
    }
  };

  for (const row of rows) {
    it(`A3 ${row.method} ${row.path}`, async () => {
      for (const who of PRINCIPALS) {
        let token = tokens[who];
        // logging out ends the session: each person logs out with a session of its own
        const username = PERSON_USERNAMES[who];
        if (row.path === '/api/v1/auth/logout' && token && username) token = await s.login(username);
        const r = await s.api(row.method, pathOf(row), token, bodyOf(row));
        const what = `${row.method} ${row.path} as ${who}`;
        const expected = row.cells[who];
        if (expected === 'ok') {
          expect([401, 403], `${what}: ${r.status} ${r.text}`).not.toContain(r.status);
          expect(r.status, `${what}: ${r.text}`).toBeLessThan(500);
        } else if (expected === '401') {
          expect(r.status, what).toBe(401);
          expectError(r, 401, 'UNAUTHENTICATED');
        } else {
          expect(r.status, `${what}: ${r.text}`).toBe(403);
          expectError(r, 403, 'FORBIDDEN');
        }
      }
    });
  }

  it('A3 the sessions the matrix used are still valid, and the revoked device is gone', async () => {
    for (const who of ['admin', 'manager', 'clerk', 'o-clk', 'kiosk', 'pad', 'keypad'] as const)
      expect((await s.api('GET', '/me', tokens[who])).status, who).toBe(200);
    const devices = (await s.api('GET', '/devices', s.t.admin)).json.devices;
    expect(devices.find((d: { id: string }) => d.id === ids.device).revokedAt).not.toBeNull();
  });
});

describe('A3 counter-bound devices and clerks act only for their own counters', () => {
  let s: HallServer;
  beforeAll(async () => {
    s = await hallServer();
  });
  afterAll(async () => s?.close());

  it('A3 a call keypad opens, calls and finishes at its counter only; a clerk of two counters (AB岗) acts at both', async () => {
    await s.api('POST', '/tickets', s.t.kiosk, { serviceId: 'consult', requestId: 'c' });
    expect((await s.api('POST', '/counters/w5/open', s.t.keypad5)).status).toBe(200);
    expect((await s.api('POST', '/counters/w5/call-next', s.t.keypad5, {})).json.ticket.number).toBe('J001');
    expect((await s.api('POST', '/counters/w5/finish', s.t.keypad5)).json.ticket.status).toBe('done');
    for (const c of ['w1', 'w2', 'w3', 'w4'])
      expectError(await s.api('POST', `/counters/${c}/open`, s.t.keypad5), 403, 'FORBIDDEN');
    expectError(await s.api('POST', '/counters/w2/open', s.t.keypad1), 403, 'FORBIDDEN');
    expectError(await s.api('POST', '/counters/w2/open', s.t.clerk1), 403, 'FORBIDDEN');
    expectError(await s.api('POST', '/counters/w1/open', s.t.clerk3), 403, 'FORBIDDEN');
    expect((await s.api('POST', '/counters/w1/open', s.t.clerk2)).status).toBe(200);
    expect((await s.api('POST', '/counters/w1/close', s.t.clerk2)).status).toBe(200);
    expect((await s.api('POST', '/counters/w2/open', s.t.clerk2)).status).toBe(200);
    // an unknown counter is 404 for everyone allowed to act at counters, 403 for a display
    expectError(await s.api('POST', '/counters/w9/open', s.t.manager), 404, 'NOT_FOUND');
    expectError(await s.api('POST', '/counters/w1/open', s.t.hallDisplay), 403, 'FORBIDDEN');
  });

  it('A3 a clerk may cancel only tickets of services their counters serve', async () => {
    const consult = (await s.api('POST', '/tickets', s.t.kiosk, { serviceId: 'consult', requestId: 'cancel-me' })).json.ticket;
    const re = (await s.api('POST', '/tickets', s.t.kiosk, { serviceId: 're', requestId: 'cancel-re' })).json.ticket;
    expectError(await s.api('POST', `/tickets/${consult.id}/cancel`, s.t.clerk1), 403, 'FORBIDDEN');
    expectError(await s.api('POST', `/tickets/${re.id}/cancel`, s.t.clerk5), 403, 'FORBIDDEN');
    expect((await s.api('POST', `/tickets/${consult.id}/cancel`, s.t.clerk5)).json.ticket.status).toBe('cancelled');
    expect((await s.api('POST', `/tickets/${re.id}/cancel`, s.t.clerk4)).json.ticket.status).toBe('cancelled');
  });
});
