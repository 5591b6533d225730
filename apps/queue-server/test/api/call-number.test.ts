/** C8 over HTTP and socket.io: a keypad's digits + 呼叫 call that number; a retry with its requestId calls no other. */
import { afterEach, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../fixtures.js';

let server: TestServer | undefined;
afterEach(async () => server?.close());

describe('call by number', () => {
  it('C8 POST /counters/{id}/call-number: by digits, by full number, idempotent, refusals with their codes', async () => {
    server = await startServer();
    const s = server;
    const kiosk = await s.device('kiosk');
    const keypad = await s.device('call-keypad', 'w1');
    const issue = async (n: number) =>
      (await s.api('POST', '/tickets', kiosk.token, { serviceId: 'gen-a', requestId: `k-${n}` })).json.ticket;
    await issue(1);
    const second = await issue(2);
    const third = await issue(3);
    expect((await s.api('POST', '/counters/w1/open', keypad.token, {})).status).toBe(200);
    const byDigits = await s.api('POST', '/counters/w1/call-number', keypad.token, { number: '002', requestId: 'key-1' });
    expect(byDigits.status).toBe(200);
    expect(byDigits.json.ticket).toMatchObject({ id: second.id, status: 'called', counterId: 'w1' });
    // The keypad resends: the same ticket, nothing else called.
    const again = await s.api('POST', '/counters/w1/call-number', keypad.token, { number: '002', requestId: 'key-1' });
    expect(again.json.ticket.id).toBe(second.id);
    expect(
      (await s.api('POST', '/counters/w1/call-number', keypad.token, { number: '3', requestId: 'key-1' })).json.error.code,
    ).toBe('REQUEST_ID_REUSED');
    const full = await s.api('POST', '/counters/w1/call-number', keypad.token, { number: third.number });
    expect(full.json.ticket.id).toBe(third.id);
    expect((await s.api('GET', `/tickets/${second.id}`, kiosk.token)).json.ticket.status).toBe('done');

    const refusals: [unknown, number, string][] = [
      [{ number: '099' }, 404, 'NOT_FOUND'],
      [{ number: '003' }, 409, 'TICKET_NOT_WAITING'],
      [{ number: 'A-1' }, 400, 'INVALID_REQUEST'],
      [{ number: '1234567' }, 400, 'INVALID_REQUEST'],
      [{}, 400, 'INVALID_REQUEST'],
    ];
    for (const [body, status, code] of refusals) {
      const r = await s.api('POST', '/counters/w1/call-number', keypad.token, body);
      expect([r.status, r.json.error.code], JSON.stringify(body)).toEqual([status, code]);
    }
    const other = await s.device('call-keypad', 'w2');
    expect((await s.api('POST', '/counters/w1/call-number', other.token, { number: '1' })).status).toBe(403);
  });

  it('C8 counter:call-number over socket.io answers the called ticket', async () => {
    server = await startServer();
    const s = server;
    const kiosk = await s.device('kiosk');
    await s.api('POST', '/tickets', kiosk.token, { serviceId: 'gen-a', requestId: 'a' });
    const b = (await s.api('POST', '/tickets', kiosk.token, { serviceId: 'gen-a', requestId: 'b' })).json.ticket;
    const manager = await s.login('manager');
    await s.api('POST', '/counters/w1/open', manager, {});
    const sock = await s.socket(manager);
    const ack = await new Promise<unknown>((r) => sock.emit('counter:call-number', { counterId: 'w1', number: b.number }, r));
    expect(ack).toMatchObject({ data: { ticket: { id: b.id, status: 'called' } } });
    const bad = await new Promise<unknown>((r) =>
      sock.emit('counter:call-number', { counterId: 'w1', number: 'x' } as unknown as { counterId: string; number: string }, r),
    );
    expect(bad).toMatchObject({ error: { code: 'INVALID_REQUEST' } });
  });
});
