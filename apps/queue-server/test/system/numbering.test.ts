/**
 * Numbering across midnight and across restarts on the same file (N3, N4, N5, I7), with a clock the
 * test moves by hand. Issuing hours are lifted (enforceHours: false) so that 23:59 can issue.
 */
import { join } from 'node:path';
import type { FactMessage } from '@yimen/shared';
import { afterEach, describe, expect, it } from 'vitest';
import { manualClock, startServer, type TestServer, tempDir } from '../fixtures.js';
import { ok, record, waitFor } from './helpers.js';

const open: TestServer[] = [];
const dirs: ReturnType<typeof tempDir>[] = [];
afterEach(async () => {
  for (const s of open.splice(0)) await s.close();
  for (const d of dirs.splice(0)) d.cleanup();
});

async function start(dbFile: string, at: string): Promise<TestServer> {
  const s = await startServer({ clock: manualClock(at), dbFile, enforceHours: false });
  open.push(s);
  return s;
}
function dbFile(): string {
  const d = tempDir();
  dirs.push(d);
  return join(d.dir, 'yimen.db');
}
async function stop(s: TestServer): Promise<void> {
  open.splice(open.indexOf(s), 1);
  await s.close();
}

describe('numbering', () => {
  it('N3 N4 N5 I7 a restart across midnight restarts the sequence at 001; yesterday’s waiting tickets are never called', async () => {
    const file = dbFile();
    // ---- Monday 23:59
    const s1 = await start(file, '2026-11-30T23:59:00+08:00');
    const kiosk = await s1.device('kiosk');
    const clerk = await s1.login('clerk1');
    ok(await s1.api('POST', '/counters/w1/open', clerk), 200);
    const issue = async (s: TestServer, serviceId: string, requestId: string) =>
      ok(await s.api('POST', '/tickets', kiosk.token, { serviceId, requestId }), 201, `${serviceId} ${requestId}`).ticket;
    const y = [
      await issue(s1, 'gen-a', 'k1'),
      await issue(s1, 'gen-a', 'k2'),
      await issue(s1, 'gen-b', 'k3'),
      await issue(s1, 'consult', 'k4'),
    ];
    expect(y.map((t) => t.number)).toEqual(['A001', 'A002', 'A003', 'J001']);
    expect(y[0].businessDay).toBe('2026-11-30');
    const heldOverNight = ok(await s1.api('POST', '/counters/w1/call-next', clerk, {}), 200).ticket;
    expect(heldOverNight.id).toBe(y[0].id);
    await stop(s1);

    // ---- restarted on the same file, Tuesday 00:01
    const s2 = await start(file, '2026-12-01T00:01:00+08:00');
    // N4: the ticket a counter held stays with it until it is finished.
    const w1 = ok(await s2.api('GET', '/hall', clerk), 200).counters.find((c: { id: string }) => c.id === 'w1');
    expect(w1).toMatchObject({ state: 'open', currentTicketId: y[0].id });
    // N3: the day's sequences start again; I7: the keys were yesterday's, so the same key is a new ticket.
    const t = [await issue(s2, 'gen-b', 'k1'), await issue(s2, 'gen-a', 'k2'), await issue(s2, 'consult', 'k9')];
    expect(t.map((x) => x.number)).toEqual(['A001', 'A002', 'J001']);
    for (const x of t) expect(x.businessDay).toBe('2026-12-01');
    expect(new Set([...y, ...t].map((x) => x.id)).size).toBe(7);
    // Yesterday's waiting tickets are out of the queues.
    const queues = ok(await s2.api('GET', '/queues', clerk), 200).queues;
    const waiting = Object.fromEntries(queues.map((q: { serviceId: string; waiting: number }) => [q.serviceId, q.waiting]));
    expect(waiting).toMatchObject({ 'gen-a': 1, 'gen-b': 1, consult: 1 });
    expect(ok(await s2.api('GET', `/tickets/${y[1].id}`, clerk), 200).ticket).toMatchObject({
      number: 'A002',
      businessDay: '2026-11-30',
      calledAt: null,
      peopleAhead: null,
    });

    // call-next finishes yesterday's held ticket, then calls today's tickets only, then 204.
    const c1 = ok(await s2.api('POST', '/counters/w1/call-next', clerk, {}), 200).ticket;
    expect(c1).toMatchObject({ id: t[0].id, number: 'A001', businessDay: '2026-12-01', status: 'called' });
    expect(ok(await s2.api('GET', `/tickets/${y[0].id}`, clerk), 200).ticket.status).toBe('done');
    const c2 = ok(await s2.api('POST', '/counters/w1/call-next', clerk, {}), 200).ticket;
    expect(c2.id).toBe(t[1].id);
    expect((await s2.api('POST', '/counters/w1/call-next', clerk, {})).status).toBe(204);
    const clerk3 = await s2.login('clerk3');
    ok(await s2.api('POST', '/counters/w3/open', clerk3), 200);
    const c3 = ok(await s2.api('POST', '/counters/w3/call-next', clerk3, {}), 200).ticket;
    expect(c3.id).toBe(t[2].id); // today's J001; yesterday's J001 stays uncalled
    expect((await s2.api('POST', '/counters/w3/call-next', clerk3, {})).status).toBe(204);
    for (const old of y.slice(1)) {
      const x = ok(await s2.api('GET', `/tickets/${old.id}`, clerk), 200).ticket;
      expect(x.calledAt, old.number).toBeNull();
      expect(x.counterId, old.number).toBeNull();
    }

    // ---- and a restart later the same day continues today's sequences (N5)
    await stop(s2);
    const s3 = await start(file, '2026-12-01T00:05:00+08:00');
    expect((await issue(s3, 'gen-a', 'k10')).number).toBe('A003');
    expect((await issue(s3, 'consult', 'k11')).number).toBe('J002');
    // Yesterday's tickets stay out of the routing state after this restart too.
    expect((await s3.api('POST', '/counters/w1/call-next', clerk, {})).status).toBe(200);
    expect((await s3.api('POST', '/counters/w1/call-next', clerk, {})).status).toBe(204);
  });

  it('N3 N4 S2 midnight passes while the server runs: day:changed, then A001 again', async () => {
    const s = await start(dbFile(), '2026-11-30T23:59:30+08:00');
    const kiosk = await s.device('kiosk');
    const clerk = await s.login('clerk1');
    ok(await s.api('POST', '/counters/w1/open', clerk), 200);
    const before = ok(await s.api('POST', '/tickets', kiosk.token, { serviceId: 'gen-a', requestId: 'n1' }), 201).ticket;
    expect(before.number).toBe('A001');
    ok(await s.api('POST', '/tickets', kiosk.token, { serviceId: 'gen-b', requestId: 'n2' }), 201);
    const displayDevice = await s.device('hall-display');
    const display = await record(s.url, displayDevice.token);

    s.clock.advance(60_000); // 00:00:30, Tuesday
    const after = ok(await s.api('POST', '/tickets', kiosk.token, { serviceId: 'gen-a', requestId: 'n1' }), 201).ticket;
    expect(after).toMatchObject({ number: 'A001', businessDay: '2026-12-01', peopleAhead: 0 });
    expect(after.id).not.toBe(before.id);
    await waitFor(() => display.facts.some((f) => f.type === 'ticket:issued'), 'the issued fact');
    const types = display.facts.map((f) => f.type);
    expect(types.indexOf('day:changed')).toBeGreaterThanOrEqual(0);
    expect(types.indexOf('day:changed')).toBeLessThan(types.indexOf('ticket:issued'));
    expect(display.facts.find((f) => f.type === 'day:changed')).toMatchObject({ businessDay: '2026-12-01' });

    expect(ok(await s.api('POST', '/counters/w1/call-next', clerk, {}), 200).ticket.id).toBe(after.id);
    expect((await s.api('POST', '/counters/w1/call-next', clerk, {})).status).toBe(204);

    // A fresh snapshot holds today's tickets only.
    const fresh = await record(s.url, clerk);
    await waitFor(() => fresh.snapshots.length > 0, 'the snapshot');
    const snap = fresh.snapshots[0];
    expect(snap?.hall.businessDay).toBe('2026-12-01');
    for (const t of snap?.tickets ?? []) expect(t.businessDay).toBe('2026-12-01');
    expect(snap?.recentCalls.map((c) => c.ticketId)).toEqual([after.id]);
    for (const r of [display, fresh]) r.socket.disconnect();

    // S1 S2: a client that is the first to see the next day gets its snapshot before any fact.
    s.clock.advance(24 * 3_600_000); // Wednesday 00:00:30, nobody has acted since
    const first = await record(s.url, displayDevice.token); // the clerk's session has expired by now
    await waitFor(() => first.snapshots.length > 0, 'the snapshot');
    first.socket.disconnect();
    expect(first.log[0]).toBe('sync:snapshot');
    expect(first.snapshots[0]?.hall.businessDay).toBe('2026-12-02');
    for (const f of first.facts) expect(f.seq).toBeGreaterThan(first.snapshots[0]?.seq ?? 0);
    expect(display.facts.every((f: FactMessage, i, all) => i === 0 || f.seq === (all[i - 1] as FactMessage).seq + 1)).toBe(true);
  });
});
