/** D1–D3: a kiosk reports its printer's faults and recoveries; managers see them live and after a restart. */

import { join } from 'node:path';
import type { DevicePresence } from '@yimen/shared';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { startServer, type TestServer, tempDir } from '../fixtures.js';

let server: TestServer | undefined;
afterEach(async () => server?.close());

describe('device reports', () => {
  it('D1 a fault and its recovery reach the managers as presence, in the snapshot and live', async () => {
    server = await startServer();
    const s = server;
    const kiosk = await s.device('kiosk');
    const manager = await s.login('manager');
    const sock = await s.socket(manager);
    const heard: DevicePresence[] = [];
    sock.on('device:presence', (d) => heard.push(d));
    await new Promise<void>((r) => sock.emit('sync:snapshot', () => r()));

    const out = await s.api('POST', '/devices/me/reports', kiosk.token, {
      component: 'printer',
      fault: 'PAPER_OUT',
      detail: '纸仓无纸',
    });
    expect(out.status).toBe(200);
    expect(out.json.device.faults).toEqual([
      { component: 'printer', code: 'PAPER_OUT', detail: '纸仓无纸', since: '2026-11-30T09:00:00.000+08:00' },
    ]);
    await expect.poll(() => heard.at(-1)?.faults.map((f) => f.code)).toEqual(['PAPER_OUT']);

    const snap = await new Promise<{ devices: DevicePresence[] }>((r) =>
      sock.emit('sync:snapshot', (a) => r('data' in a ? a.data : { devices: [] })),
    );
    expect(snap.devices.find((d) => d.deviceId === kiosk.id)?.faults[0]?.code).toBe('PAPER_OUT');

    s.clock.advance(60_000);
    const back = await s.api('POST', '/devices/me/reports', kiosk.token, { component: 'printer', fault: null });
    expect(back.json.device.faults).toEqual([]);
    await expect.poll(() => heard.at(-1)?.faults).toEqual([]);
  });

  it('D2 repeating the current state writes nothing; a changed detail or another component does', async () => {
    server = await startServer();
    const s = server;
    const kiosk = await s.device('kiosk');
    const report = (body: unknown) => s.api('POST', '/devices/me/reports', kiosk.token, body);
    const db = new Database(s.dbFile, { readonly: true });
    const events = () => (db.prepare("SELECT count(*) AS n FROM events WHERE type = 'device:reported'").get() as { n: number }).n;
    await report({ component: 'printer', fault: null });
    expect(events()).toBe(0); // nothing was wrong
    await report({ component: 'printer', fault: 'PAPER_NEAR_END' });
    await report({ component: 'printer', fault: 'PAPER_NEAR_END' });
    expect(events()).toBe(1);
    await report({ component: 'card-reader', fault: 'READER_OFFLINE' });
    const two = await report({ component: 'printer', fault: 'COVER_OPEN' });
    expect(events()).toBe(3);
    expect(two.json.device.faults.map((f: { code: string }) => f.code).sort()).toEqual(['COVER_OPEN', 'READER_OFFLINE']);
    db.close();
  });

  it('D3 faults survive a restart; bad reports are refused with a clear code; people cannot report', async () => {
    const tmp = tempDir();
    const dbFile = join(tmp.dir, 'yimen.db');
    server = await startServer({ dbFile });
    const first = server;
    const kiosk = await first.device('kiosk');
    await first.api('POST', '/devices/me/reports', kiosk.token, { component: 'printer', fault: 'PRINTER_OFFLINE' });
    for (const bad of [
      { component: 'printer', fault: 'ON_FIRE' },
      { component: 'toaster', fault: null },
      { component: 'printer' },
      { component: 'printer', fault: null, extra: 1 },
      { component: 'printer', fault: null, detail: 'x'.repeat(201) },
    ]) {
      const r = await first.api('POST', '/devices/me/reports', kiosk.token, bad);
      expect(r.status, JSON.stringify(bad)).toBe(400);
      expect(r.json.error.code).toBe('INVALID_REQUEST');
    }
    const manager = await first.login('manager');
    expect((await first.api('POST', '/devices/me/reports', manager, { component: 'printer', fault: null })).status).toBe(403);
    await first.close();

    server = await startServer({ dbFile, clock: first.clock });
    const again = await server.login('manager');
    const sock = await server.socket(again);
    const snap = await new Promise<{ devices: DevicePresence[] }>((r) =>
      sock.emit('sync:snapshot', (a) => r('data' in a ? a.data : { devices: [] })),
    );
    expect(snap.devices.find((d) => d.deviceId === kiosk.id)?.faults.map((f) => f.code)).toEqual(['PRINTER_OFFLINE']);
    await server.close();
    tmp.cleanup();
  });
});

describe('guides', () => {
  it('G1 GET /guides answers the categories and each configured guide', async () => {
    const { tinyHallInput } = await import('../fixtures.js');
    const { HallConfig } = await import('@yimen/shared');
    const input = tinyHallInput();
    input.categories = [{ id: 'general', name: '综合服务', icon: '🏛' }];
    const guide = {
      conditions: ['本县户籍居民'],
      materials: [{ name: '居民身份证', originals: 1, copies: 1 }],
      steps: ['取号', '窗口受理', '当场办结'],
      legalDays: 20,
      promisedDays: 0,
      itemType: 'immediate' as const,
      location: '综合受理区 1–2 号窗口',
      hours: '工作日 8:30–17:00',
      phone: '0571-87654321',
    };
    input.services = input.services.map((s, i) => (i === 0 ? { ...s, guide } : s));
    server = await startServer({ config: HallConfig.parse(input) });
    const kiosk = await server.device('kiosk');
    const r = await server.api('GET', '/guides', kiosk.token);
    expect(r.status).toBe(200);
    expect(r.json.categories).toEqual([{ id: 'general', name: '综合服务', icon: '🏛' }]);
    expect(r.json.guides).toHaveLength(1);
    expect(r.json.guides[0].guide).toMatchObject({ ...guide, fee: '不收费', basis: [] });
    expect(r.json.guides[0].guide.materials[0]).toMatchObject({ form: 'paper', required: true });
    expect((await server.api('GET', '/guides')).status).toBe(401);
  });

  it('G2 a guide that says 即办 with days to wait, or promises more than the law allows, is refused at load', async () => {
    const { HallConfig, ServiceGuide } = await import('@yimen/shared');
    const base = {
      conditions: ['x'],
      steps: ['y'],
      location: 'z',
      hours: 'h',
      phone: 'p',
    };
    expect(ServiceGuide.safeParse({ ...base, legalDays: 20, promisedDays: 3, itemType: 'immediate' }).success).toBe(false);
    expect(ServiceGuide.safeParse({ ...base, legalDays: 20, promisedDays: 0, itemType: 'promised' }).success).toBe(false);
    expect(ServiceGuide.safeParse({ ...base, legalDays: 5, promisedDays: 10, itemType: 'promised' }).success).toBe(false);
    expect(ServiceGuide.safeParse({ ...base, legalDays: null, promisedDays: 10, itemType: 'promised' }).success).toBe(true);
    expect(HallConfig.shape.services).toBeDefined();
  });
});
