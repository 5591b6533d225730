/** Pairing a screen (issue 3): code shown, approved by a manager, token claimed once with the secret. */
import { afterEach, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../fixtures.js';

let server: TestServer;
afterEach(async () => server?.close());

describe('pairing', () => {
  it('A2 a screen pairs: pending until a manager approves, then its token once; the token works', async () => {
    server = await startServer();
    const opened = await server.api('POST', '/pairings', null, { kind: 'counter-display', counterNumber: 1 });
    expect(opened.status).toBe(201);
    const { pairing, secret } = opened.json;
    expect(pairing).toMatchObject({ kind: 'counter-display', counterId: 'w1' });
    expect(pairing.code).toMatch(/^\d{6}$/);
    const claim = () => server.api('POST', `/pairings/${pairing.id}/claim`, null, { secret });
    expect((await claim()).json).toEqual({ status: 'pending' });
    expect((await server.api('POST', `/pairings/${pairing.id}/claim`, null, { secret: 'not-the-secret-000' })).status).toBe(404);

    const manager = await server.login('manager');
    const list = await server.api('GET', '/pairings', manager);
    expect(list.json.pairings.map((p: { code: string }) => p.code)).toEqual([pairing.code]);
    const approved = await server.api('POST', `/pairings/${pairing.id}/approve`, manager, { name: '1号窗口屏' });
    expect(approved.status).toBe(200);
    expect(approved.json.device).toMatchObject({ kind: 'counter-display', counterId: 'w1', name: '1号窗口屏' });

    const got = await claim();
    expect(got.json).toMatchObject({ status: 'approved', deviceId: approved.json.device.id });
    expect((await server.api('GET', '/me', got.json.token)).json.device.id).toBe(approved.json.device.id);
    expect((await claim()).status).toBe(404); // handed out once
    expect((await server.api('GET', '/pairings', manager)).json.pairings).toEqual([]);
  });

  it('A2 rejection, expiry after 15 minutes, and bad requests', async () => {
    server = await startServer();
    const manager = await server.login('manager');
    const a = (await server.api('POST', '/pairings', null, { kind: 'hall-display' })).json;
    expect((await server.api('DELETE', `/pairings/${a.pairing.id}`, manager)).status).toBe(204);
    expect((await server.api('POST', `/pairings/${a.pairing.id}/claim`, null, { secret: a.secret })).status).toBe(404);

    const b = (await server.api('POST', '/pairings', null, { kind: 'hall-display' })).json;
    server.clock.advance(15 * 60_000 + 1);
    expect((await server.api('POST', `/pairings/${b.pairing.id}/claim`, null, { secret: b.secret })).status).toBe(404);
    expect((await server.api('POST', `/pairings/${b.pairing.id}/approve`, manager, {})).status).toBe(404);

    const noCounter = await server.api('POST', '/pairings', null, { kind: 'evaluation-pad' });
    expect(noCounter.status).toBe(400);
    expect(noCounter.json.error.code).toBe('INVALID_REQUEST');
    const unknown = await server.api('POST', '/pairings', null, { kind: 'evaluation-pad', counterNumber: 99 });
    expect(unknown.status).toBe(404);
    expect((await server.api('POST', '/pairings', null, { kind: 'toaster' })).status).toBe(400);
  });
});
