/**
 * The fixed HTTP contract (../../../../shared/API.md): health, the OpenAPI document, people and devices,
 * the hall and the queues. Every error body is exactly {error: {code, message}} with a zh-CN message.
 */
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { AuthStore } from '../../src/adapters/auth.js';
import { routes } from '../../src/adapters/http.js';
import { PairingStore } from '../../src/adapters/pairing.js';
import { createApp } from '../../src/app.js';
import { manualClock, tempDir, tinyHall } from '../fixtures.js';
import { expectError, type HallServer, hallServer, ISO_SHANGHAI } from './helpers.js';

describe('health and the OpenAPI document', () => {
  let s: HallServer;
  // biome-ignore lint/suspicious/noExplicitAny: the document is inspected loosely
  let doc: any;
  beforeAll(async () => {
    s = await hallServer();
    const r = await s.api('GET', '/openapi.json');
    expect(r.status).toBe(200);
    doc = r.json;
  });
  afterAll(async () => s.close());

  it('API GET /health needs no token and answers {status: ok, version}', async () => {
    const r = await s.api('GET', '/health');
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toMatch(/^application\/json/);
    expect(r.json).toEqual({ status: 'ok', version: expect.stringMatching(/^\d+\.\d+\.\d+/) });
  });

  it('API GET /openapi.json needs no token and is an OpenAPI 3.1 document', async () => {
    expect(doc.openapi).toMatch(/^3\.1\.\d+$/);
    expect(doc.info).toMatchObject({ title: expect.any(String), version: expect.any(String) });
    expect(doc.components.securitySchemes.bearer).toMatchObject({ type: 'http', scheme: 'bearer' });
    const operationIds = new Set<string>();
    for (const [path, item] of Object.entries<Record<string, Record<string, unknown>>>(doc.paths)) {
      expect(path).toMatch(/^\/api\/v1\//);
      const names = [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
      for (const [method, op] of Object.entries(item)) {
        expect(['get', 'post', 'put', 'delete', 'patch']).toContain(method);
        expect(typeof op.operationId).toBe('string');
        expect(operationIds.has(op.operationId as string), `operationId ${op.operationId} twice`).toBe(false);
        operationIds.add(op.operationId as string);
        const responses = op.responses as Record<string, { description: string }>;
        expect(Object.keys(responses).length).toBeGreaterThan(0);
        for (const [status, resp] of Object.entries(responses)) {
          expect(status).toMatch(/^[1-5]\d\d$/);
          expect(typeof resp.description).toBe('string');
        }
        const params = (op.parameters ?? []) as { name: string; in: string; required: boolean }[];
        expect(params.map((p) => p.name).sort()).toEqual([...names].sort());
        for (const p of params) expect(p).toMatchObject({ in: 'path', required: true });
      }
    }
  });

  it('API the document has every route of the route table and every path of API.md, each with its body schema', () => {
    const table = routes({
      service: s.app.service,
      auth: {} as AuthStore,
      clock: s.clock,
      onRevoked: () => {},
      pairings: new PairingStore(s.clock),
    });
    expect(table.length).toBeGreaterThan(20);
    for (const def of table) {
      const op = doc.paths[def.path]?.[def.method.toLowerCase()];
      expect(op, `${def.method} ${def.path} missing`).toBeDefined();
      if (def.body) expect(op.requestBody.content['application/json'].schema, `${def.method} ${def.path}`).toBeTypeOf('object');
      else expect(op.requestBody).toBeUndefined();
    }
    const contract = [
      'post /api/v1/auth/login',
      'post /api/v1/devices',
      'delete /api/v1/devices/{id}',
      'post /api/v1/users',
      'get /api/v1/health',
      'get /api/v1/hall',
      'get /api/v1/queues',
      'post /api/v1/tickets',
      'get /api/v1/tickets/{id}',
      'post /api/v1/tickets/{id}/cancel',
      'post /api/v1/tickets/{id}/reactivate',
      'post /api/v1/counters/{id}/open',
      'post /api/v1/counters/{id}/close',
      'post /api/v1/counters/{id}/pause',
      'post /api/v1/counters/{id}/resume',
      'post /api/v1/counters/{id}/call-next',
      'post /api/v1/counters/{id}/recall',
      'post /api/v1/counters/{id}/start',
      'post /api/v1/counters/{id}/finish',
      'post /api/v1/counters/{id}/no-show',
      'post /api/v1/counters/{id}/transfer',
      'post /api/v1/evaluations',
    ];
    for (const entry of contract) {
      const [method, path] = entry.split(' ') as [string, string];
      expect(doc.paths[path]?.[method], entry).toBeDefined();
    }
  });

  it('API POST /tickets documents a strict body: additionalProperties false, serviceId and requestId required', () => {
    const schema = doc.paths['/api/v1/tickets'].post.requestBody.content['application/json'].schema;
    expect(schema.type).toBe('object');
    expect(schema.additionalProperties).toBe(false);
    expect([...schema.required].sort()).toEqual(['requestId', 'serviceId']);
    expect(Object.keys(schema.properties).sort()).toEqual(['idNumber', 'priority', 'requestId', 'serviceId']);
    expect(schema.properties.priority.enum).toEqual(['none', 'elderly', 'disabled', 'military', 'appointment']);
  });

  it('API every schema of the document is a valid JSON Schema 2020-12, and real answers match their documented schema', async () => {
    const ajv = new Ajv2020({ strict: false, allErrors: true });
    const check = (method: string, path: string, status: number, body: unknown) => {
      const schema = doc.paths[path][method].responses[String(status)].content['application/json'].schema;
      const validate = ajv.compile(schema);
      expect(validate(body), `${method} ${path} ${status}: ${ajv.errorsText(validate.errors)}`).toBe(true);
    };
    for (const item of Object.values<Record<string, Record<string, unknown>>>(doc.paths))
      for (const op of Object.values(item)) {
        const body = op.requestBody as { content: Record<string, { schema: object }> } | undefined;
        if (body) ajv.compile(body.content['application/json']?.schema as object);
        for (const r of Object.values(op.responses as Record<string, { content?: Record<string, { schema: object }> }>))
          if (r.content) ajv.compile(r.content['application/json']?.schema as object);
      }
    const adm = await s.admin();
    const kiosk = await s.device('kiosk');
    const issued = await s.api('POST', '/tickets', kiosk.token, { serviceId: 'gen-a', requestId: 'doc-1' });
    check('post', '/api/v1/tickets', 201, issued.json);
    check('get', '/api/v1/tickets/{id}', 200, (await s.api('GET', `/tickets/${issued.json.ticket.id}`, kiosk.token)).json);
    check('get', '/api/v1/hall', 200, (await s.api('GET', '/hall', kiosk.token)).json);
    check('get', '/api/v1/queues', 200, (await s.api('GET', '/queues', kiosk.token)).json);
    check('get', '/api/v1/health', 200, (await s.api('GET', '/health')).json);
    check('post', '/api/v1/counters/{id}/open', 200, (await s.api('POST', '/counters/w1/open', adm)).json);
    check('post', '/api/v1/counters/{id}/call-next', 200, (await s.api('POST', '/counters/w1/call-next', adm, {})).json);
    const refused = await s.api('POST', '/tickets', kiosk.token, { serviceId: 'closed', requestId: 'doc-2' });
    expectError(refused, 422, 'SERVICE_CLOSED');
    check('post', '/api/v1/tickets', 422, refused.json);
  });
});

describe('every answer is documented', () => {
  let s: HallServer;
  afterAll(async () => s?.close());

  it('API every status a route answers is in its OpenAPI responses, and the body matches the schema there', async () => {
    s = await hallServer();
    const doc = (await s.api('GET', '/openapi.json')).json;
    const ajv = new Ajv2020({ strict: false, allErrors: true });
    const templates = Object.keys(doc.paths).map((p) => ({
      p,
      re: new RegExp(`^${p.replace(/\{\w+\}/g, '[^/]+')}$`),
    }));
    const seen: string[] = [];
    const call = async (method: string, path: string, token?: string | null, body?: unknown) => {
      const r = await s.api(method, path, token, body);
      const full = `/api/v1${path}`;
      const t = templates.find((x) => x.re.test(full));
      expect(t, `${method} ${full} not in the document`).toBeDefined();
      const op = doc.paths[(t as { p: string }).p][method.toLowerCase()];
      expect(op, `${method} ${full} not in the document`).toBeDefined();
      const documented = op.responses[String(r.status)];
      expect(documented, `${method} ${(t as { p: string }).p} answered ${r.status} ${r.text}, not documented`).toBeDefined();
      if (r.status >= 400)
        expect(documented.description, `${method} ${(t as { p: string }).p}: ${r.json.error.code} not named`).toContain(
          r.json.error.code,
        );
      const schema = documented.content?.['application/json']?.schema;
      if (schema) {
        const validate = ajv.compile(schema);
        expect(validate(r.json), `${method} ${full} ${r.status}: ${ajv.errorsText(validate.errors)} in ${r.text}`).toBe(true);
      } else expect(r.text, `${method} ${full} ${r.status}`).toBe('');
      seen.push(`${method} ${(t as { p: string }).p} ${r.status}`);
      return r;
    };
    const adm = s.t.admin;
    const clerk = s.t.clerk1;
    const other = s.t.clerk5;
    const kiosk = { token: s.t.kiosk };
    const pad = { token: s.t.pad1 };

    await call('POST', '/auth/login', null, { username: 'clerk2', password: 'clerk-pass-2' });
    await call('POST', '/auth/login', null, { username: 'clerk2', password: 'nope-nope' });
    await call('POST', '/auth/login', null, { username: 'clerk2' });
    await call('GET', '/health');
    await call('GET', '/me', kiosk.token);
    await call('GET', '/me', clerk);
    await call('GET', '/me', 'ymu_notatoken');
    await call('POST', '/users', adm, { username: 'doc-user', password: 'long-enough', name: '新用户', role: 'clerk' });
    await call('POST', '/users', adm, { username: 'doc-user', password: 'long-enough', name: '新用户', role: 'clerk' });
    await call('POST', '/users', adm, {
      username: 'doc-user2',
      password: 'long-enough',
      name: '新',
      role: 'clerk',
      counterIds: ['x'],
    });
    await call('POST', '/users', adm, { username: 'doc-user2', password: 'long-enough', name: '新', role: 'boss' });
    await call('POST', '/users', clerk, { username: 'doc-user3', password: 'long-enough', name: '新', role: 'clerk' });
    await call('GET', '/users', adm);
    await call('GET', '/users', kiosk.token);
    const dev = await call('POST', '/devices', adm, { kind: 'kiosk', name: '自助机' });
    await call('POST', '/devices', adm, { kind: 'call-keypad', name: '呼叫器' });
    await call('POST', '/devices', adm, { kind: 'call-keypad', name: '呼叫器', counterId: 'w0' });
    await call('GET', '/devices', adm);
    await call('DELETE', `/devices/${dev.json.device.id}`, adm);
    await call('DELETE', '/devices/nope', adm);
    await call('DELETE', '/devices/nope', clerk);
    await call('GET', '/hall', kiosk.token);
    await call('PUT', '/hall/notice', adm, { notice: '今天下午三点系统维护' });
    await call('PUT', '/hall/notice', adm, { notice: 5 });
    await call('PUT', '/hall/notice', kiosk.token, { notice: '' });
    await call('GET', '/queues', pad.token);

    const t1 = await call('POST', '/tickets', kiosk.token, { serviceId: 'gen-a', requestId: 'c1' });
    await call('POST', '/tickets', kiosk.token, { serviceId: 'gen-a', requestId: 'c1' });
    await call('POST', '/tickets', kiosk.token, { serviceId: 'gen-b', requestId: 'c1' });
    await call('POST', '/tickets', kiosk.token, { serviceId: 'nope', requestId: 'c2' });
    await call('POST', '/tickets', kiosk.token, { serviceId: 'closed', requestId: 'c3' });
    await call('POST', '/tickets', kiosk.token, { serviceId: 'gen-a', requestId: 'c4', idNumber: '110101199003071234' });
    await call('POST', '/tickets', kiosk.token, { serviceId: 'gen-a' });
    await call('POST', '/tickets', pad.token, { serviceId: 'gen-a', requestId: 'c5' });
    const t2 = await call('POST', '/tickets', clerk, { serviceId: 'gen-a', requestId: 'c6' });
    await call('POST', '/tickets', clerk, { serviceId: 'gen-a', requestId: 'c7' });
    await call('GET', `/tickets/${t1.json.ticket.id}`, pad.token);
    await call('GET', '/tickets/tk_nope', pad.token);

    await call('POST', '/counters/w1/call-next', clerk, {});
    await call('POST', '/counters/w1/open', clerk);
    await call('POST', '/counters/w1/open', clerk);
    await call('POST', '/counters/w1/open', other);
    await call('POST', '/counters/w9/open', adm);
    await call('POST', '/counters/w1/open', clerk, { extra: 1 });
    await call('POST', '/counters/w1/finish', clerk);
    await call('POST', '/counters/w1/call-next', clerk, { requestId: 'k1' });
    await call('POST', '/counters/w1/call-next', clerk, { requestId: 'k1' });
    await call('POST', '/counters/w1/call-next', clerk, { requestId: 'bad key' });
    await call('POST', '/counters/w1/recall', clerk);
    await call('POST', '/counters/w1/start', clerk);
    await call('POST', '/counters/w1/start', clerk);
    await call('POST', '/counters/w1/recall', clerk);
    await call('POST', '/counters/w1/no-show', clerk);
    await call('POST', '/counters/w1/transfer', clerk, { serviceId: 'gen-a' });
    await call('POST', '/counters/w1/transfer', clerk, { serviceId: 'gone' });
    await call('POST', '/counters/w1/transfer', clerk, { serviceId: 'gen-a', counterId: 'w2' });
    await call('POST', '/counters/w1/transfer', clerk, { counterId: 'w2' });
    await call('POST', '/counters/w1/transfer', clerk, { counterId: 'w2' });
    await call('POST', '/counters/w1/call-next', clerk, {});
    await call('POST', '/counters/w1/no-show', clerk);
    await call('POST', `/tickets/${t2.json.ticket.id}/reactivate`, clerk);
    await call('POST', `/tickets/${t2.json.ticket.id}/reactivate`, clerk);
    await call('POST', `/tickets/${t2.json.ticket.id}/cancel`, clerk);
    await call('POST', `/tickets/${t2.json.ticket.id}/cancel`, clerk);
    await call('POST', `/tickets/${t2.json.ticket.id}/cancel`, clerk, { why: 'x' });
    await call('POST', `/tickets/${t2.json.ticket.id}/reactivate`, clerk, { why: 'x' });
    await call('POST', '/tickets/tk_nope/cancel', clerk);
    await call('POST', `/tickets/${t1.json.ticket.id}/cancel`, other);
    await call('POST', '/counters/w1/call-next', clerk, {});
    await call('POST', '/counters/w1/pause', clerk);
    await call('POST', '/counters/w1/pause', clerk);
    await call('POST', '/counters/w1/call-next', clerk, {});
    await call('POST', '/counters/w1/resume', clerk);
    await call('POST', '/counters/w1/resume', clerk);
    await call('POST', '/counters/w1/close', clerk);
    const done = await call('POST', '/counters/w1/finish', clerk);
    await call('POST', '/counters/w1/call-next', clerk, {});
    await call('POST', '/evaluations', pad.token, { ticketId: done.json.ticket.id, level: 'dissatisfied' });
    await call('POST', '/evaluations', pad.token, { ticketId: done.json.ticket.id, level: 'satisfied' });
    await call('POST', '/evaluations', pad.token, { ticketId: done.json.ticket.id, level: 'satisfied' });
    await call('POST', '/evaluations', pad.token, { ticketId: t1.json.ticket.id, level: 'meh' });
    await call('POST', '/evaluations', pad.token, { ticketId: 'tk_nope', level: 'satisfied' });
    await call('POST', '/evaluations', kiosk.token, { ticketId: done.json.ticket.id, level: 'satisfied' });
    await call('POST', '/counters/w1/close', clerk);
    await call('POST', '/counters/w1/close', clerk);
    await call('POST', '/counters/w1/recall', clerk);
    await call('POST', '/auth/logout', other, { x: 1 });
    await call('POST', '/auth/logout', other);
    await call('POST', '/auth/logout', kiosk.token);
    expect(seen.length).toBeGreaterThan(85);
  });
});

describe('log in, log out, users and devices', () => {
  let s: HallServer;
  beforeAll(async () => {
    s = await hallServer();
  });
  afterAll(async () => s.close());

  it('API POST /auth/login answers 200 {token, user: {id, username, name, role}}', async () => {
    const r = await s.api('POST', '/auth/login', null, { username: 'clerk1', password: 'clerk-pass-1' });
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({
      token: expect.any(String),
      user: { id: expect.any(String), username: 'clerk1', name: '张晓明', role: 'clerk' },
    });
    expect(r.json.user).not.toHaveProperty('passwordHash');
    expect(r.text).not.toContain('scrypt');
    const me = await s.api('GET', '/me', r.json.token);
    expect(me.status).toBe(200);
    expect(me.json).toMatchObject({ user: { username: 'clerk1', role: 'clerk' }, device: null });
    const manager = await s.api('POST', '/auth/login', null, { username: 'manager', password: 'manager-pass' });
    expect(manager.json.user.role).toBe('manager');
    const admin = await s.api('POST', '/auth/login', null, { username: 'admin', password: 'admin-test-password' });
    expect(admin.json.user.role).toBe('admin');
  });

  it('A1 an unknown user and a wrong password get the same 401 UNAUTHENTICATED answer', async () => {
    const unknown = await s.api('POST', '/auth/login', null, { username: 'nobody', password: 'clerk-pass-1' });
    const wrong = await s.api('POST', '/auth/login', null, { username: 'clerk1', password: 'wrong-password' });
    expectError(unknown, 401, 'UNAUTHENTICATED');
    expectError(wrong, 401, 'UNAUTHENTICATED');
    expect(wrong.text).toBe(unknown.text);
    expect(wrong.headers.get('content-type')).toBe(unknown.headers.get('content-type'));
    // a password differing only in case is wrong too
    expectError(
      await s.api('POST', '/auth/login', null, { username: 'clerk1', password: 'CLERK-PASS-1' }),
      401,
      'UNAUTHENTICATED',
    );
    expectError(await s.api('POST', '/auth/login', null, { username: 'clerk1' }), 400, 'INVALID_REQUEST');
  });

  it('A2 POST /auth/logout revokes the session: the same token gets 401 at once, another session lives on', async () => {
    const a = await s.login('clerk3');
    const b = await s.login('clerk3');
    expect((await s.api('GET', '/hall', a)).status).toBe(200);
    const out = await s.api('POST', '/auth/logout', a);
    expect(out.status).toBe(204);
    expect(out.text).toBe('');
    expectError(await s.api('GET', '/hall', a), 401, 'UNAUTHENTICATED');
    expectError(await s.api('POST', '/auth/logout', a), 401, 'UNAUTHENTICATED');
    expect((await s.api('GET', '/hall', b)).status).toBe(200);
  });

  it('API POST /devices (admin) answers 201 {device: {id, kind, name, counterId}, token} for every kind', async () => {
    const adm = await s.admin();
    const kinds: [string, string | undefined][] = [
      ['kiosk', undefined],
      ['hall-display', undefined],
      ['counter-display', 'w1'],
      ['evaluation-pad', 'w2'],
      ['call-keypad', 'w3'],
    ];
    const tokens = new Set<string>();
    for (const [kind, counterId] of kinds) {
      const r = await s.api('POST', '/devices', adm, { kind, name: `设备 ${kind}`, ...(counterId ? { counterId } : {}) });
      expect(r.status, r.text).toBe(201);
      expect(r.json).toMatchObject({
        device: { id: expect.any(String), kind, name: `设备 ${kind}`, counterId: counterId ?? null },
        token: expect.any(String),
      });
      expect(r.json.token.length).toBeGreaterThanOrEqual(32);
      tokens.add(r.json.token);
      const me = await s.api('GET', '/me', r.json.token);
      expect(me.json).toMatchObject({ user: null, device: { id: r.json.device.id, kind } });
    }
    expect(tokens.size).toBe(kinds.length);
    const list = await s.api('GET', '/devices', adm);
    expect(list.status).toBe(200);
    expect(list.json.devices.length).toBeGreaterThanOrEqual(kinds.length);
    expect(list.text).not.toMatch(/token/i);
  });

  it('API POST /devices: counter-bound kinds need a counterId (400), an unknown counterId is 404, an unknown kind 400', async () => {
    const adm = await s.admin();
    for (const kind of ['counter-display', 'evaluation-pad', 'call-keypad'])
      expectError(await s.api('POST', '/devices', adm, { kind, name: 'x' }), 400, 'INVALID_REQUEST');
    expectError(await s.api('POST', '/devices', adm, { kind: 'call-keypad', name: 'x', counterId: 'w9' }), 404, 'NOT_FOUND');
    expectError(await s.api('POST', '/devices', adm, { kind: 'kiosk', name: 'x', counterId: 'nope' }), 404, 'NOT_FOUND');
    expectError(await s.api('POST', '/devices', adm, { kind: 'printer', name: 'x' }), 400, 'INVALID_REQUEST');
    expectError(await s.api('POST', '/devices', adm, { kind: 'kiosk' }), 400, 'INVALID_REQUEST');
    expectError(await s.api('POST', '/devices', adm, { kind: 'kiosk', name: '' }), 400, 'INVALID_REQUEST');
  });

  it('A2 DELETE /devices/{id} answers 204 and the device token gets 401 at once; an unknown device is 404', async () => {
    const adm = await s.admin();
    const pad = await s.device('evaluation-pad', 'w1');
    const other = await s.device('kiosk');
    expect((await s.api('GET', '/queues', pad.token)).status).toBe(200);
    const del = await s.api('DELETE', `/devices/${pad.id}`, adm);
    expect(del.status).toBe(204);
    expect(del.text).toBe('');
    expectError(await s.api('GET', '/queues', pad.token), 401, 'UNAUTHENTICATED');
    expectError(await s.api('GET', '/me', pad.token), 401, 'UNAUTHENTICATED');
    expect((await s.api('GET', '/queues', other.token)).status).toBe(200);
    const listed = (await s.api('GET', '/devices', adm)).json.devices.find((d: { id: string }) => d.id === pad.id);
    expect(listed.revokedAt).toMatch(ISO_SHANGHAI);
    expectError(await s.api('DELETE', '/devices/dev_doesnotexist', adm), 404, 'NOT_FOUND');
  });

  it('API POST /users (admin) answers 201 {user}; the new user logs in; a clerk of two counters (AB岗) acts at both', async () => {
    const adm = await s.admin();
    const r = await s.api('POST', '/users', adm, {
      username: 'clerk-ab',
      password: 'a-long-password',
      name: '周 AB岗',
      role: 'clerk',
      counterIds: ['w4', 'w5'],
    });
    expect(r.status, r.text).toBe(201);
    expect(r.json).toStrictEqual({
      user: {
        id: expect.any(String),
        username: 'clerk-ab',
        name: '周 AB岗',
        role: 'clerk',
        staffNo: null,
        counterIds: ['w4', 'w5'],
      },
    });
    const token = await s.login('clerk-ab', 'a-long-password');
    expect((await s.api('POST', '/counters/w5/open', token)).status).toBe(200);
    expect((await s.api('POST', '/counters/w5/close', token)).status).toBe(200);
    expect((await s.api('POST', '/counters/w4/open', token)).status).toBe(200);
    expectError(await s.api('POST', '/counters/w1/open', token), 403, 'FORBIDDEN');
    const users = await s.api('GET', '/users', adm);
    expect(users.json.users.map((u: { username: string }) => u.username)).toContain('clerk-ab');
    expect(users.text).not.toContain('scrypt');
    const manager = await s.api('POST', '/users', adm, {
      username: 'boss2',
      password: 'another-password',
      name: '副主任',
      role: 'manager',
    });
    expect(manager.status).toBe(201);
    expect((await s.api('GET', '/users', await s.login('boss2', 'another-password'))).status).toBe(200);
  });

  it('API POST /users: a taken username is 409 USERNAME_TAKEN, unknown counterIds 404, bad fields 400', async () => {
    const adm = await s.admin();
    const body = { username: 'clerk1', password: 'a-long-password', name: '重名', role: 'clerk' };
    expectError(await s.api('POST', '/users', adm, body), 409, 'USERNAME_TAKEN');
    expectError(await s.api('POST', '/users', adm, { ...body, username: 'admin' }), 409, 'USERNAME_TAKEN');
    expectError(await s.api('POST', '/users', adm, { ...body, username: 'fresh', counterIds: ['w1', 'w99'] }), 404, 'NOT_FOUND');
    expectError(await s.api('POST', '/users', adm, { ...body, username: 'fresh', role: 'root' }), 400, 'INVALID_REQUEST');
    expectError(await s.api('POST', '/users', adm, { ...body, username: 'fresh', password: 'short' }), 400, 'INVALID_REQUEST');
    expectError(await s.api('POST', '/users', adm, { ...body, username: 'Has Space' }), 400, 'INVALID_REQUEST');
    // the refused requests created nobody
    expectError(
      await s.api('POST', '/auth/login', null, { username: 'fresh', password: 'a-long-password' }),
      401,
      'UNAUTHENTICATED',
    );
    // the taken username still logs in with its own password only
    expectError(
      await s.api('POST', '/auth/login', null, { username: 'clerk1', password: 'a-long-password' }),
      401,
      'UNAUTHENTICATED',
    );
  });
});

describe('first start', () => {
  it('API without an admin password the server generates one, once; the admin logs in with it', async () => {
    const tmp = tempDir();
    const dbFile = join(tmp.dir, 'yimen.db');
    try {
      const first = await createApp({ dbFile, hallConfig: tinyHall(), clock: manualClock(), logger: false });
      const password = first.generatedAdminPassword;
      expect(password).toEqual(expect.any(String));
      expect((password as string).length).toBeGreaterThanOrEqual(12);
      await first.close();
      const second = await createApp({ dbFile, hallConfig: tinyHall(), clock: manualClock(), logger: false });
      expect(second.generatedAdminPassword).toBeNull();
      const url = await second.listen(0, '127.0.0.1');
      const login = await fetch(`${url}/api/v1/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: 'admin', password }),
      });
      expect(login.status).toBe(200);
      expect(((await login.json()) as { user: { role: string } }).user.role).toBe('admin');
      await second.close();
    } finally {
      tmp.cleanup();
    }
  });
});

describe('the hall and the queues', () => {
  let s: HallServer;
  afterEach(async () => s?.close());

  it('API GET /hall (any token) answers {hall: {name, timezone}, services, counters}', async () => {
    s = await hallServer();
    const display = { token: s.t.hallDisplay };
    const clerk = s.t.clerk1;
    await s.api('POST', '/counters/w1/open', clerk);
    const r = await s.api('GET', '/hall', display.token);
    expect(r.status).toBe(200);
    expect(r.json.hall).toMatchObject({ name: '测试县政务服务中心', timezone: 'Asia/Shanghai' });
    expect(r.json.services.map((x: { id: string }) => x.id)).toEqual(['gen-a', 'gen-b', 're', 'fund', 'closed', 'consult']);
    expect(r.json.services[0]).toMatchObject({ id: 'gen-a', prefix: 'A', name: '综合业务甲' });
    expect(r.json.services.find((x: { id: string }) => x.id === 'closed').suspended).toBe(true);
    expect(r.json.counters).toHaveLength(5);
    for (const c of r.json.counters) {
      expect(c).toMatchObject({ id: expect.any(String), number: expect.any(Number), name: expect.any(String) });
      expect(Array.isArray(c.serviceIds)).toBe(true);
      expect(['open', 'paused', 'closed']).toContain(c.state);
      expect(c).toHaveProperty('currentTicketId', null);
    }
    expect(r.json.counters[0]).toMatchObject({ id: 'w1', number: 1, state: 'open', serviceIds: ['gen-a', 'gen-b'] });
    expect(r.json.counters[1]).toMatchObject({ id: 'w2', state: 'closed' });
    expectError(await s.api('GET', '/hall'), 401, 'UNAUTHENTICATED');
  });

  it('W5 GET /queues: oldestWaitSeconds is null when nobody waits; counts and waits right after issuing', async () => {
    s = await hallServer();
    const kiosk = { token: s.t.kiosk };
    const before = await s.api('GET', '/queues', kiosk.token);
    expect(before.status).toBe(200);
    expect(before.json.queues.map((q: { serviceId: string }) => q.serviceId)).toEqual([
      'gen-a',
      'gen-b',
      're',
      'fund',
      'closed',
      'consult',
    ]);
    for (const q of before.json.queues) {
      expect(q).toMatchObject({ waiting: 0, oldestWaitSeconds: null });
      expect(q).toHaveProperty('estimatedWaitMinutes');
    }
    // Every counter closed (before opening): a new gen-a ticket's own 8 min shared by its 3 counters (W4) → 3.
    expect(before.json.queues[0].estimatedWaitMinutes).toBe(3);
    await s.api('POST', '/tickets', kiosk.token, { serviceId: 'gen-a', requestId: 'q1' });
    s.clock.advance(30_000);
    await s.api('POST', '/tickets', kiosk.token, { serviceId: 'gen-a', requestId: 'q2' });
    await s.api('POST', '/tickets', kiosk.token, { serviceId: 'consult', requestId: 'q3' });
    s.clock.advance(60_000);
    const q = Object.fromEntries(
      (await s.api('GET', '/queues', kiosk.token)).json.queues.map((x: { serviceId: string }) => [x.serviceId, x]),
    );
    expect(q['gen-a']).toMatchObject({ waiting: 2, oldestWaitSeconds: 90 });
    expect(q.consult).toMatchObject({ waiting: 1, oldestWaitSeconds: 60 });
    expect(q['gen-b']).toMatchObject({ waiting: 0, oldestWaitSeconds: null });
    expect(q['gen-a'].estimatedWaitMinutes).toBeGreaterThan(0);
    // W5: nobody waits for gen-b, but its counters would call the two gen-a tickets first: the queue says 2
    // people ahead, and a gen-b ticket taken now says the same.
    expect(q['gen-b'].peopleAhead).toBe(2);
    const taken = await s.api('POST', '/tickets', kiosk.token, { serviceId: 'gen-b', requestId: 'q4' });
    expect(taken.json.ticket).toMatchObject({ peopleAhead: 2, estimatedWaitMinutes: q['gen-b'].estimatedWaitMinutes });
    // a call takes a ticket out of the queue
    const mgr = s.t.manager;
    await s.api('POST', '/counters/w1/open', mgr);
    await s.api('POST', '/counters/w1/call-next', mgr, {});
    const after = (await s.api('GET', '/queues', kiosk.token)).json.queues[0];
    expect(after).toMatchObject({ serviceId: 'gen-a', waiting: 1, oldestWaitSeconds: 60 });
  });
});
