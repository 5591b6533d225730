/**
 * `npm run demo` brings a kiosk: a kiosk agent paired through the API and a virtual printer whose tickets
 * become PNGs under data/printer, served at /demo/printer/ for the manager view. A real child process.
 */
import { join } from 'node:path';
import { io } from 'socket.io-client';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../fixtures.js';
import { ADMIN_PW, apiAt, killAllChildren, loginAt, spawnServer } from './helpers.js';

let tmp: ReturnType<typeof tempDir>;
beforeAll(() => {
  tmp = tempDir('yimen-demo-');
});
afterEach(async () => killAllChildren());
afterAll(() => tmp?.cleanup());

function kioskLine(stdout: string): URL {
  const m = /kiosk: +(http:\/\/\S+)/.exec(stdout);
  if (!m) throw new Error(`no kiosk line in:\n${stdout}`);
  return new URL(m[1] as string);
}

describe('demo mode', { timeout: 90_000 }, () => {
  it('--demo starts a kiosk agent and a virtual printer; a ticket taken there is a PNG at /demo/printer/', async () => {
    const dataDir = join(tmp.dir, 'data');
    const child = await spawnServer({ dataDir, args: ['--demo'] });
    const kiosk = kioskLine(child.stdout());
    expect(kiosk.pathname).toBe('/kiosk');
    const agentUrl = kiosk.searchParams.get('agent') as string;
    const key = kiosk.searchParams.get('agentKey') as string;
    expect(agentUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect((await fetch(`${child.url}/demo/printer/index.json`)).status).toBe(404); // nothing printed yet

    const socket = io(agentUrl, { auth: { key }, transports: ['websocket'], forceNew: true });
    const took = await new Promise<{ data?: { ticket: { number: string }; printed: boolean } }>((resolve) =>
      socket.emit('ticket:take', { serviceId: 'gen-outdoor-ad', requestId: 'demo-1', useCard: false }, resolve),
    );
    socket.close();
    expect(took.data?.printed).toBe(true);
    let index: { file: string; lines: string[] }[] = [];
    await expect
      .poll(async () => {
        const r = await fetch(`${child.url}/demo/printer/index.json`);
        index = r.status === 200 ? ((await r.json()) as typeof index) : [];
        return index.length;
      })
      .toBe(1);
    expect(index[0]?.lines).toContain(took.data?.ticket.number);
    const png = await fetch(`${child.url}/demo/printer/${index[0]?.file}`);
    expect(png.status).toBe(200);
    expect(png.headers.get('content-type')).toBe('image/png');
    expect(
      Buffer.from(await png.arrayBuffer())
        .subarray(1, 4)
        .toString(),
    ).toBe('PNG');
    expect((await fetch(`${child.url}/demo/printer/..%2Fyimen.db`)).status).toBe(404);

    // A restart keeps the same kiosk device (its token is kept in the data folder).
    await child.kill('SIGTERM');
    const again = await spawnServer({ dataDir, args: ['--demo'] });
    expect(kioskLine(again.stdout()).searchParams.get('token')).toBe(kiosk.searchParams.get('token'));
    const api = apiAt(again.url);
    const admin = await loginAt(api, 'admin', ADMIN_PW);
    const devices = (await api('GET', '/devices', admin)).json.devices as { kind: string }[];
    expect(devices.filter((d) => d.kind === 'kiosk')).toHaveLength(1);
  });

  it('YIMEN_DEMO_KIOSK=0: no kiosk, no /demo/printer', async () => {
    const child = await spawnServer({ dataDir: join(tmp.dir, 'data-2'), args: ['--demo'], env: { YIMEN_DEMO_KIOSK: '0' } });
    expect(child.stdout()).not.toContain('kiosk:');
    expect((await fetch(`${child.url}/demo/printer/index.json`)).status).toBe(404);
  });
});
