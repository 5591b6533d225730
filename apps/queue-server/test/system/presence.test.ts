/** S1 S2: device presence — the manager sees which paired devices are connected (offline alerts). */
import { afterEach, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../fixtures.js';
import { type Recorder, record, waitFor } from './helpers.js';

let server: TestServer;
const open: Recorder[] = [];
afterEach(async () => {
  for (const r of open.splice(0)) r.socket.disconnect();
  await server?.close();
});

describe('device presence', () => {
  it('S6 a device’s first socket makes it online, its last one leaving offline; snapshots list every unrevoked device', async () => {
    server = await startServer();
    const pad = await server.device('evaluation-pad', 'w1');
    const revoked = await server.device('kiosk');
    expect((await server.api('DELETE', `/devices/${revoked.id}`, await server.admin())).status).toBe(204);
    const manager = await record(server.url, await server.login('manager'));
    open.push(manager);
    await waitFor(() => manager.snapshots.length > 0, 'the manager’s snapshot');
    const listed = manager.snapshots[0]?.devices ?? [];
    expect(listed.map((d) => d.deviceId)).toEqual([pad.id]);
    expect(listed[0]).toMatchObject({ kind: 'evaluation-pad', counterId: 'w1', online: false });

    const a = await record(server.url, pad.token);
    const b = await record(server.url, pad.token);
    open.push(a, b);
    const presence = () => manager.facts.filter((f) => f.type === 'device:presence');
    await waitFor(() => presence().length === 1, 'online');
    a.socket.disconnect();
    await waitFor(() => a.log.some((e) => e.startsWith('disconnect')), 'a gone');
    b.socket.disconnect();
    await waitFor(() => presence().length === 2, 'offline after the last socket');
    const states = presence().map((f) => (f.type === 'device:presence' ? [f.device.deviceId, f.device.online] : null));
    expect(states).toEqual([
      [pad.id, true],
      [pad.id, false],
    ]);
    const fresh = await server.socket(await server.login('manager'));
    const snap = await new Promise<{ devices: { online: boolean }[] }>((resolve) =>
      fresh.emit('sync:snapshot', (ack) => resolve('data' in ack ? ack.data : { devices: [] })),
    );
    expect(snap.devices[0]?.online).toBe(false);
  });

  it('S6 a revoked device leaves the list: its offline fact, then a revoked one', async () => {
    server = await startServer();
    const pad = await server.device('evaluation-pad', 'w1');
    const manager = await record(server.url, await server.login('manager'));
    const padSocket = await record(server.url, pad.token);
    open.push(manager, padSocket);
    const presence = () => manager.facts.flatMap((f) => (f.type === 'device:presence' ? [f.device] : []));
    await waitFor(() => presence().length === 1, 'online');
    expect((await server.api('DELETE', `/devices/${pad.id}`, await server.admin())).status).toBe(204);
    await waitFor(() => presence().some((d) => d.revoked), 'the revocation');
    expect(presence().map((d) => [d.online, d.revoked])).toEqual([
      [true, false],
      [false, false],
      [false, true],
    ]);
  });
});
