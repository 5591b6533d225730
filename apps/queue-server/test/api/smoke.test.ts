import { afterEach, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../fixtures.js';

let server: TestServer;
afterEach(async () => server?.close());

describe('the server on port 0', () => {
  it('T1 issues, calls and finishes a ticket over HTTP', async () => {
    server = await startServer();
    const kiosk = await server.device('kiosk');
    const clerk = await server.login('clerk1');
    expect((await server.api('POST', '/counters/w1/open', clerk)).status).toBe(200);
    const issued = await server.api('POST', '/tickets', kiosk.token, { serviceId: 'gen-a', requestId: 'r1' });
    expect(issued.status).toBe(201);
    expect(issued.json.ticket).toMatchObject({ number: 'A001', status: 'waiting', peopleAhead: 0 });
    const called = await server.api('POST', '/counters/w1/call-next', clerk, {});
    expect(called.json.ticket).toMatchObject({ number: 'A001', status: 'called', counterId: 'w1' });
    const done = await server.api('POST', '/counters/w1/finish', clerk);
    expect(done.json.ticket.status).toBe('done');
  });
});
