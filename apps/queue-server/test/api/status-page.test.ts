/** The ticket's public status page (/t/{key}, its QR): live while it waits, the window large when called. */
import { afterEach, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../fixtures.js';

let server: TestServer;
afterEach(async () => server?.close());

describe('the status page', () => {
  it('API waiting: place and wait, reloading; called: "请到 1 号窗口" large; done: no reload', async () => {
    server = await startServer();
    const kiosk = await server.device('kiosk');
    const clerk = await server.login('clerk1');
    const issued = (await server.api('POST', '/tickets', kiosk.token, { serviceId: 'gen-a', requestId: 'p1' })).json.ticket;
    const page = async () => (await server.api('GET', issued.statusPath, null)).text;
    let html = await page();
    expect(html).toContain('A001');
    expect(html).toContain('前面等候');
    expect(html).toContain('http-equiv="refresh" content="5"');
    expect(html).not.toContain('data-testid="ticket-call"');
    await server.api('POST', '/counters/w1/open', clerk);
    await server.api('POST', '/counters/w1/call-next', clerk, {});
    html = await page();
    expect(html).toMatch(/data-testid="ticket-call">请到 1 号窗口</);
    await server.api('POST', '/counters/w1/finish', clerk);
    html = await page();
    expect(html).toContain('已办结');
    expect(html).not.toContain('http-equiv="refresh"');
  });
});
