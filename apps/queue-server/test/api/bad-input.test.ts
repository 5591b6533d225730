/**
 * Bad input never yields a 5xx nor stops the server: malformed JSON, wrong types, unknown fields, bodies over
 * 64 KiB, control characters, other media types, bad tokens of every kind, very long or malformed paths.
 */
import { request } from 'node:http';
import { connect } from 'node:net';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiResponse } from '../fixtures.js';
import { expectError, type HallServer, hallServer } from './helpers.js';

/** A request as raw as needed: any header, any body, chunked or not. */
function raw(
  url: string,
  method: string,
  path: string,
  headers: Record<string, string | number>,
  body?: string | Buffer,
): Promise<ApiResponse> {
  return new Promise((resolve, reject) => {
    const u = new URL(url);
    const req = request({ host: u.hostname, port: u.port, method, path, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let json: unknown = null;
        try {
          json = text ? JSON.parse(text) : null;
        } catch {
          json = null;
        }
        const h = new Headers();
        for (const [k, v] of Object.entries(res.headers)) if (typeof v === 'string') h.set(k, v);
        resolve({ status: res.statusCode ?? 0, json, text, headers: h });
      });
    });
    req.on('error', reject);
    req.end(body);
  });
}

describe('bad bodies', () => {
  let s: HallServer;
  beforeAll(async () => {
    s = await hallServer();
    await s.api('POST', '/counters/w1/open', s.t.clerk1);
  });
  afterAll(async () => {
    expect((await s.api('GET', '/health')).status).toBe(200);
    await s.close();
  });

  it('API malformed JSON is 400 INVALID_REQUEST on every route that takes a body', async () => {
    const cases: [string, string, string | null][] = [
      ['POST', '/tickets', s.t.kiosk],
      ['POST', '/auth/login', null],
      ['POST', '/users', s.t.admin],
      ['POST', '/devices', s.t.admin],
      ['PUT', '/hall/notice', s.t.admin],
      ['POST', '/counters/w1/call-next', s.t.clerk1],
      ['POST', '/counters/w1/transfer', s.t.clerk1],
      ['POST', '/counters/w1/pause', s.t.clerk1],
      ['POST', '/evaluations', s.t.pad1],
    ];
    for (const [method, path, token] of cases)
      for (const text of ['{', '{"serviceId": "gen-a",}', "{'a': 1}", 'undefined', '{"a": 1}}', '\u0000', 'NaN'])
        expectError(await s.api(method, path, token, text), 400, 'INVALID_REQUEST');
  });

  it('API wrong types and values out of range are 400 INVALID_REQUEST', async () => {
    const cases: [string, string, string, unknown][] = [
      ['POST', '/tickets', s.t.kiosk, { serviceId: 5, requestId: 'a' }],
      ['POST', '/tickets', s.t.kiosk, { serviceId: null, requestId: 'a' }],
      ['POST', '/tickets', s.t.kiosk, { serviceId: 'gen-a', requestId: 12 }],
      ['POST', '/tickets', s.t.kiosk, { serviceId: 'gen-a', requestId: '' }],
      ['POST', '/tickets', s.t.kiosk, { serviceId: 'gen-a', requestId: 'has space' }],
      ['POST', '/tickets', s.t.kiosk, { serviceId: 'gen-a', requestId: 'r'.repeat(129) }],
      ['POST', '/tickets', s.t.kiosk, { serviceId: 'gen-a', requestId: 'a', priority: 'vip' }],
      ['POST', '/tickets', s.t.kiosk, { serviceId: 'gen-a', requestId: 'a', idNumber: 11010119900307 }],
      ['POST', '/tickets', s.t.kiosk, { serviceId: 'gen-a', requestId: 'a', idNumber: '1'.repeat(33) }],
      ['POST', '/tickets', s.t.kiosk, { serviceId: 'gen-a' }],
      ['POST', '/tickets', s.t.kiosk, ['gen-a', 'a']],
      ['POST', '/tickets', s.t.kiosk, '"gen-a"'],
      ['POST', '/tickets', s.t.kiosk, 'true'],
      ['POST', '/devices', s.t.admin, { kind: ['kiosk'], name: 'x' }],
      ['POST', '/devices', s.t.admin, { kind: 'kiosk', name: 5 }],
      ['POST', '/devices', s.t.admin, { kind: 'call-keypad', name: 'x', counterId: 1 }],
      ['POST', '/devices', s.t.admin, { kind: 'kiosk', name: 'x'.repeat(61) }],
      ['POST', '/users', s.t.admin, { username: 'u1', password: 'long-enough', name: '甲', role: 'clerk', counterIds: 'w1' }],
      ['POST', '/users', s.t.admin, { username: 'u1', password: 'long-enough', name: '甲', role: 5 }],
      ['POST', '/users', s.t.admin, { username: 'u1', password: 'long-enough', name: '', role: 'clerk' }],
      ['POST', '/users', s.t.admin, { username: 'u'.repeat(300), password: 'long-enough', name: '甲', role: 'clerk' }],
      ['POST', '/auth/login', '', { username: 5, password: 'x' }],
      ['POST', '/auth/login', '', { username: 'admin', password: '' }],
      ['POST', '/auth/login', '', { username: 'admin', password: 'p'.repeat(257) }],
      ['POST', '/evaluations', s.t.pad1, { ticketId: 'tk_x', level: 'satisfied', reasons: '效率低' }],
      ['POST', '/evaluations', s.t.pad1, { ticketId: 'tk_x', level: 'satisfied', comment: 5 }],
      ['POST', '/evaluations', s.t.pad1, { ticketId: 'tk_x', level: null }],
      ['POST', '/evaluations', s.t.pad1, { ticketId: 'tk_x', level: 'dissatisfied', reasons: Array(11).fill('其他') }],
      ['POST', '/evaluations', s.t.pad1, { ticketId: 'tk_x', level: 'satisfied', comment: 'x'.repeat(501) }],
      ['POST', '/counters/w1/call-next', s.t.clerk1, { requestId: 5 }],
      ['POST', '/counters/w1/transfer', s.t.clerk1, { serviceId: ['gen-b'] }],
      ['PUT', '/hall/notice', s.t.admin, { notice: 'x'.repeat(301) }],
      ['PUT', '/hall/notice', s.t.admin, {}],
    ];
    for (const [method, path, token, body] of cases) {
      const r = await s.api(method, path, token || null, body);
      expectError(r, 400, 'INVALID_REQUEST');
    }
  });

  it('API unknown fields are 400 INVALID_REQUEST, and the message names the field', async () => {
    const cases: [string, string, string, Record<string, unknown>, string][] = [
      ['POST', '/tickets', s.t.kiosk, { serviceId: 'gen-a', requestId: 'u1', name: '张三' }, 'name'],
      ['POST', '/counters/w1/pause', s.t.clerk1, { force: true }, 'force'],
      ['POST', '/counters/w1/call-next', s.t.clerk1, { requestId: 'x', counterId: 'w2' }, 'counterId'],
      ['POST', '/auth/login', '', { username: 'admin', password: 'admin-test-password', remember: true }, 'remember'],
      ['POST', '/evaluations', s.t.pad1, { ticketId: 'tk_x', level: 'satisfied', score: 5 }, 'score'],
      ['POST', '/devices', s.t.admin, { kind: 'kiosk', name: 'x', token: 'mine' }, 'token'],
      [
        'POST',
        '/users',
        s.t.admin,
        { username: 'u2', password: 'long-enough', name: '乙', role: 'admin', isRoot: true },
        'isRoot',
      ],
      ['PUT', '/hall/notice', s.t.admin, { notice: 'x', color: 'red' }, 'color'],
    ];
    for (const [method, path, token, body, field] of cases) {
      const r = await s.api(method, path, token || null, body);
      expectError(r, 400, 'INVALID_REQUEST');
      expect(r.json.error.message).toContain(field);
    }
    // nothing was issued or created by the refused requests
    expect((await s.api('GET', '/queues', s.t.kiosk)).json.queues[0].waiting).toBe(0);
    expectError(await s.api('POST', '/auth/login', null, { username: 'u2', password: 'long-enough' }), 401, 'UNAUTHENTICATED');
  });

  it('API control characters in names and texts are 400 INVALID_REQUEST', async () => {
    const bad = [
      '自助机\u0000',
      '自助机\n1',
      'a\tb',
      'bell\u0007',
      'esc\u001b[31m',
      'del\u007f',
      'c1\u0085',
      'ls\u2028',
      'ps\u2029',
    ];
    for (const name of bad) {
      expectError(await s.api('POST', '/devices', s.t.admin, { kind: 'kiosk', name }), 400, 'INVALID_REQUEST');
      expectError(
        await s.api('POST', '/users', s.t.admin, { username: 'ctl', password: 'long-enough', name, role: 'clerk' }),
        400,
        'INVALID_REQUEST',
      );
      expectError(await s.api('PUT', '/hall/notice', s.t.admin, { notice: name }), 400, 'INVALID_REQUEST');
      expectError(
        await s.api('POST', '/evaluations', s.t.pad1, { ticketId: 'tk_x', level: 'satisfied', comment: name }),
        400,
        'INVALID_REQUEST',
      );
      expectError(
        await s.api('POST', '/evaluations', s.t.pad1, { ticketId: 'tk_x', level: 'dissatisfied', reasons: [name] }),
        400,
        'INVALID_REQUEST',
      );
      expectError(await s.api('POST', '/auth/login', null, { username: name, password: 'whatever' }), 400, 'INVALID_REQUEST');
    }
    // ordinary Chinese text, spaces and punctuation pass
    expect((await s.api('POST', '/devices', s.t.admin, { kind: 'kiosk', name: '一楼 自助机（东）#1' })).status).toBe(201);
    expect((await s.api('PUT', '/hall/notice', s.t.admin, { notice: '今日 15:00—16:00 系统维护，请谅解！' })).status).toBe(200);
  });

  it('API a body over 64 KiB is 413 PAYLOAD_TOO_LARGE (1 MB, 64 KiB + 1, chunked); 64 KiB exactly is read', async () => {
    const big = await s.api(
      'POST',
      '/tickets',
      s.t.kiosk,
      `{"serviceId":"gen-a","requestId":"big","x":"${'x'.repeat(1024 * 1024)}"}`,
    );
    expectError(big, 413, 'PAYLOAD_TOO_LARGE');
    const valid = '{"serviceId":"gen-a","requestId":"exact"}';
    const over = `${valid}${' '.repeat(64 * 1024 + 1 - valid.length)}`;
    expect(Buffer.byteLength(over)).toBe(64 * 1024 + 1);
    expectError(await s.api('POST', '/tickets', s.t.kiosk, over), 413, 'PAYLOAD_TOO_LARGE');
    const headers = { authorization: `Bearer ${s.t.kiosk}`, 'content-type': 'application/json' };
    expectError(
      await raw(s.url, 'POST', '/api/v1/tickets', { ...headers, 'transfer-encoding': 'chunked' }, over),
      413,
      'PAYLOAD_TOO_LARGE',
    );
    // multi-byte characters count as bytes
    const cjk = `{"serviceId":"gen-a","requestId":"cjk","x":"${'字'.repeat(22_000)}"}`;
    expect(Buffer.byteLength(cjk)).toBeGreaterThan(64 * 1024);
    expectError(await s.api('POST', '/tickets', s.t.kiosk, cjk), 413, 'PAYLOAD_TOO_LARGE');
    // without an Authorization header the answer is 413 or 401, never a 5xx
    const anon = await s.api('POST', '/tickets', null, over);
    expect([401, 413]).toContain(anon.status);
    const exact = `${valid}${' '.repeat(64 * 1024 - valid.length)}`;
    expect(Buffer.byteLength(exact)).toBe(64 * 1024);
    const ok = await s.api('POST', '/tickets', s.t.kiosk, exact);
    expect(ok.status, ok.text).toBe(201);
    expect(ok.json.ticket.number).toBe('A001');
  });

  it('API a body that is not JSON (text/plain, a form, no content-type) is a 4xx with the error body', async () => {
    const auth = { authorization: `Bearer ${s.t.kiosk}` };
    const json = '{"serviceId":"gen-a","requestId":"plain"}';
    const waiting = async () => (await s.api('GET', '/queues', s.t.kiosk)).json.queues[0].waiting as number;
    const before = await waiting();
    for (const type of [
      'text/plain',
      'application/x-www-form-urlencoded',
      'multipart/form-data; boundary=x',
      'application/xml',
    ]) {
      const r = await raw(s.url, 'POST', '/api/v1/tickets', { ...auth, 'content-type': type }, json);
      expectError(r, 415, 'UNSUPPORTED_MEDIA_TYPE');
    }
    expectError(await raw(s.url, 'POST', '/api/v1/tickets', auth, json), 415, 'UNSUPPORTED_MEDIA_TYPE');
    expect(await waiting()).toBe(before);
    // JSON with a charset parameter is JSON
    const utf8 = await raw(
      s.url,
      'POST',
      '/api/v1/tickets',
      { ...auth, 'content-type': 'application/json; charset=utf-8' },
      json,
    );
    expect(utf8.status).toBe(201);
  });

  it('API a body-less POST needs no body, and an empty JSON body reads as {}', async () => {
    expect((await raw(s.url, 'POST', '/api/v1/counters/w1/pause', { authorization: `Bearer ${s.t.clerk1}` })).status).toBe(200);
    const r = await raw(s.url, 'POST', '/api/v1/counters/w1/resume', {
      authorization: `Bearer ${s.t.clerk1}`,
      'content-type': 'application/json',
    });
    expect(r.status).toBe(200);
    expect(r.json.counter.state).toBe('open');
  });

  it('API random JSON bodies on every route never give a 5xx, and every refusal has the error body', async () => {
    const targets: [string, string, string][] = [
      ['POST', '/api/v1/tickets', s.t.kiosk],
      ['POST', '/api/v1/auth/login', ''],
      ['POST', '/api/v1/devices', s.t.admin],
      ['PUT', '/api/v1/hall/notice', s.t.manager],
      ['POST', '/api/v1/counters/w1/call-next', s.t.clerk1],
      ['POST', '/api/v1/counters/w1/transfer', s.t.clerk1],
      ['POST', '/api/v1/counters/w1/recall', s.t.keypad1],
      ['POST', '/api/v1/evaluations', s.t.pad1],
      ['POST', '/api/v1/tickets/tk_x/cancel', s.t.manager],
    ];
    const fieldy = fc.dictionary(
      fc.constantFrom(
        'serviceId',
        'requestId',
        'priority',
        'idNumber',
        'kind',
        'name',
        'counterId',
        'notice',
        'ticketId',
        'level',
      ),
      fc.oneof(fc.jsonValue(), fc.constantFrom('gen-a', 'w1', 'kiosk', 'satisfied', 'elderly', '110101199003071234')),
    );
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...targets), fc.oneof(fc.jsonValue(), fieldy), async ([method, path, token], body) => {
        const r = await s.api(method, path, token || null, JSON.stringify(body));
        expect(r.status, r.text).toBeLessThan(500);
        if (r.status >= 400)
          expect(r.json).toStrictEqual({ error: { code: expect.stringMatching(/^[A-Z_]+$/), message: expect.any(String) } });
      }),
      { numRuns: 250, seed: 20261130 },
    );
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...targets), fc.string({ maxLength: 200 }), async ([method, path, token], text) => {
        const r = await s.api(method, path, token || null, text);
        expect(r.status, r.text).toBeLessThan(500);
      }),
      { numRuns: 100, seed: 7 },
    );
  });
});

describe('bad tokens', () => {
  let s: HallServer;
  beforeAll(async () => {
    s = await hallServer();
  });
  afterAll(async () => {
    expect((await s.api('GET', '/health')).status).toBe(200);
    await s.close();
  });

  const withHeader = (authorization: string) => raw(s.url, 'GET', '/api/v1/hall', { authorization });

  it('API a missing, malformed or unknown token is 401 UNAUTHENTICATED', async () => {
    expectError(await s.api('GET', '/hall', null), 401, 'UNAUTHENTICATED');
    const flip = (t: string) => `${t.slice(0, -1)}${t.endsWith('A') ? 'B' : 'A'}`;
    const headers = [
      'Bearer',
      'Bearer ',
      'Bearer x',
      `Bearer ymu_${'A'.repeat(43)}`,
      `Bearer ymd_${'A'.repeat(43)}`,
      `Bearer ${flip(s.t.admin)}`,
      `Bearer ${flip(s.t.kiosk)}`,
      `Bearer ${s.t.admin.slice(0, -1)}`,
      `Bearer ${s.t.admin}x`,
      `Bearer ${s.t.admin} ${s.t.admin}`,
      `Basic ${Buffer.from('admin:admin-test-password').toString('base64')}`,
      `Token ${s.t.admin}`,
      s.t.admin,
      `Bearer ${'x'.repeat(5000)}`,
      `Bearer ${s.t.kiosk.replace('ymd_', 'ymu_')}`,
      `Bearer ${s.t.admin.replace('ymu_', 'ymd_')}`,
    ];
    for (const h of headers) expectError(await withHeader(h), 401, 'UNAUTHENTICATED');
    // the real tokens still work, and the scheme's case does not matter
    expect((await withHeader(`Bearer ${s.t.admin}`)).status).toBe(200);
    expect((await withHeader(`bearer ${s.t.kiosk}`)).status).toBe(200);
  });

  it('A2 a session expires after 16 hours: 401; a device token does not expire', async () => {
    // the template's sessions were made at Monday 09:00
    s.clock.set('2026-12-01T00:59:00+08:00');
    expect((await s.api('GET', '/hall', s.t.clerk3)).status).toBe(200);
    s.clock.set('2026-12-01T01:00:01+08:00');
    expectError(await s.api('GET', '/hall', s.t.clerk3), 401, 'UNAUTHENTICATED');
    expectError(await s.api('POST', '/counters/w3/open', s.t.clerk3), 401, 'UNAUTHENTICATED');
    expect((await s.api('GET', '/hall', s.t.kiosk2)).status).toBe(200);
    s.clock.set('2026-11-30T09:00:00+08:00');
  });

  it('A2 a revoked device and a logged-out session are 401 at the next request', async () => {
    const dev = await s.device('call-keypad', 'w2');
    expect((await s.api('POST', '/counters/w2/open', dev.token)).status).toBe(200);
    expect((await s.api('DELETE', `/devices/${dev.id}`, s.t.admin)).status).toBe(204);
    expectError(await s.api('POST', '/counters/w2/pause', dev.token), 401, 'UNAUTHENTICATED');
    expectError(await s.api('GET', '/hall', dev.token), 401, 'UNAUTHENTICATED');
    // revoking twice is harmless
    expect((await s.api('DELETE', `/devices/${dev.id}`, s.t.admin)).status).toBe(204);
    const token = await s.login('clerk4');
    expect((await s.api('POST', '/auth/logout', token)).status).toBe(204);
    expectError(await s.api('GET', '/me', token), 401, 'UNAUTHENTICATED');
    expectError(await s.api('POST', '/counters/w4/open', token), 401, 'UNAUTHENTICATED');
  });
});

describe('bad paths', () => {
  let s: HallServer;
  beforeAll(async () => {
    s = await hallServer();
  });
  afterAll(async () => {
    expect((await s.api('GET', '/health')).status).toBe(200);
    await s.close();
  });

  it('API an unknown or malformed id in the path is 404 NOT_FOUND, up to the router’s parameter length', async () => {
    for (const id of [
      'x',
      'a'.repeat(64),
      'a'.repeat(65),
      'a'.repeat(200),
      'has%20space',
      '%F0%9F%98%80',
      '..%2F..%2Fetc',
      "1'%20OR%20'1'='1",
    ])
      for (const [method, path, token] of [
        ['GET', `/tickets/${id}`, s.t.kiosk],
        ['POST', `/tickets/${id}/cancel`, s.t.manager],
        ['POST', `/counters/${id}/open`, s.t.manager],
        ['DELETE', `/devices/${id}`, s.t.admin],
      ] as const)
        expectError(await s.api(method, path, token), 404, 'NOT_FOUND');
    expectError(await s.api('GET', '/api/v1/nothing-here', s.t.kiosk), 404, 'NOT_FOUND');
    expectError(await s.api('PATCH', '/hall', s.t.admin), 404, 'NOT_FOUND');
    expect((await s.api('GET', `/t/${'a'.repeat(200)}`, null)).status).toBe(404);
  });

  it('API a very long id or a malformed %-encoding in the path is a 4xx, never a 5xx, and the server serves on', async () => {
    for (const path of [
      `/api/v1/tickets/${'a'.repeat(5000)}`,
      `/api/v1/counters/${'w'.repeat(1000)}/call-next`,
      `/t/${'k'.repeat(1000)}`,
      '/api/v1/tickets/%E0%A4%A',
      '/api/v1/tickets/%',
      '/t/%ZZ',
    ]) {
      const r = await raw(s.url, path.includes('call-next') ? 'POST' : 'GET', path, { authorization: `Bearer ${s.t.manager}` });
      expect(r.status, `${path}: ${r.text}`).toBeGreaterThanOrEqual(400);
      expect(r.status, `${path}: ${r.text}`).toBeLessThan(500);
    }
    expect((await s.api('GET', '/health')).status).toBe(200);
  });

  it('API a very long id is 404 NOT_FOUND and a malformed %-encoding 400 INVALID_REQUEST, with the error body', async () => {
    const auth = { authorization: `Bearer ${s.t.manager}` };
    expectError(await raw(s.url, 'GET', `/api/v1/tickets/${'a'.repeat(5000)}`, auth), 404, 'NOT_FOUND');
    expectError(await raw(s.url, 'GET', '/api/v1/tickets/%E0%A4%A', auth), 400, 'INVALID_REQUEST');
  });

  it('API broken HTTP framing is answered in the contract’s error shape, then the server goes on', async () => {
    const url = s.url;
    try {
      expectError(await raw(url, 'GET', `/api/v1/tickets/${'a'.repeat(5000)}`, {}), 404, 'NOT_FOUND');
      expectError(await raw(url, 'GET', '/api/v1/tickets/%E0%A4%A', {}), 400, 'INVALID_REQUEST');
      // broken HTTP framing: a body without a length on a method that has none by default
      const broken = await new Promise<string>((resolve) => {
        const u = new URL(url);
        const sock = connect(Number(u.port), u.hostname, () => {
          sock.write('GET /api/v1/tickets/x HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n');
        });
        let text = '';
        sock.on('data', (d: Buffer) => {
          text += d.toString('utf8');
        });
        sock.on('close', () => resolve(text));
      });
      expect(broken).toMatch(/^HTTP\/1\.1 400 /);
      const body = JSON.parse(broken.slice(broken.indexOf('\r\n\r\n') + 4));
      expect(body).toStrictEqual({ error: { code: 'INVALID_REQUEST', message: expect.stringMatching(/\p{Script=Han}/u) } });
    } finally {
      expect((await s.api('GET', '/health')).status).toBe(200);
    }
  });
});
