/** S6: device presence — managers and admins see which paired devices are connected (offline alerts). */
import { afterEach, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../fixtures.js';
import { type Recorder, record, waitFor } from './helpers.js';

let server: TestServer;
const open: Recorder[] = [];
afterEach(async () => {
  for (const r of open.splice(0)) r.socket.disconnect();
  await server?.close();
});

async function client(token: string): Promise<Recorder> {
  const r = await record(server.url, token);
  open.push(r);
  await waitFor(() => r.snapshots.length > 0, 'the snapshot');
  return r;
}

describe('device presence', () => {
  it('S6 a device’s first socket makes it online, its last one leaving offline; only managers and admins hear of it', async () => {
    server = await startServer();
    const pad = await server.device('evaluation-pad', 'w1');
    const revoked = await server.device('kiosk');
    expect((await server.api('DELETE', `/devices/${revoked.id}`, await server.admin())).status).toBe(204);
    const manager = await client(await server.login('manager'));
    const clerk = await client(await server.login('clerk1'));
    expect(manager.snapshots[0]?.devices.map((d) => d.deviceId)).toEqual([pad.id]);
    expect(manager.snapshots[0]?.devices[0]).toMatchObject({ kind: 'evaluation-pad', counterId: 'w1', online: false });
    expect(clerk.snapshots[0]?.devices).toEqual([]);

    const a = await client(pad.token);
    const b = await client(pad.token);
    expect(a.snapshots[0]?.devices).toEqual([]);
    await waitFor(() => manager.presence.length === 1, 'online');
    a.socket.disconnect();
    await waitFor(() => a.log.some((e) => e.startsWith('disconnect')), 'a gone');
    b.socket.disconnect();
    await waitFor(() => manager.presence.length === 2, 'offline after the last socket');
    expect(manager.presence.map((d) => [d.deviceId, d.online])).toEqual([
      [pad.id, true],
      [pad.id, false],
    ]);
    // no numbered fact, and nobody else heard of it
    expect(manager.facts).toEqual([]);
    expect(clerk.presence).toEqual([]);
    const fresh = await client(await server.login('manager'));
    expect(fresh.snapshots[0]?.devices[0]?.online).toBe(false);
  });

  it('S6 a revoked device leaves the list: its offline notice, then a revoked one', async () => {
    server = await startServer();
    const pad = await server.device('evaluation-pad', 'w1');
    const admin = await client(await server.admin());
    await client(pad.token);
    await waitFor(() => admin.presence.length === 1, 'online');
    expect((await server.api('DELETE', `/devices/${pad.id}`, await server.admin())).status).toBe(204);
    await waitFor(() => admin.presence.some((d) => d.revoked), 'the revocation');
    expect(admin.presence.map((d) => [d.online, d.revoked])).toEqual([
      [true, false],
      [false, false],
      [false, true],
    ]);
  });

  it('S1 30 screens connecting cost one snapshot build, not one each: their snapshots share the sequence number', async () => {
    server = await startServer();
    const display = await server.device('hall-display');
    const screens = await Promise.all(Array.from({ length: 30 }, () => client(display.token)));
    expect(new Set(screens.map((s) => s.snapshots[0]?.seq)).size).toBe(1);
    expect(screens.every((s) => s.facts.length === 0)).toBe(true);
  });
});
