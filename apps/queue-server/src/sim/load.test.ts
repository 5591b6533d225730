import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ManualClock, TestServer } from '../../test/fixtures.js';
import { ADMIN_PASSWORD, MONDAY_9AM, startServer, tinyHallInput } from '../../test/fixtures.js';
import { formatLoad, progressLine, runLoad } from './load.js';
import { drawArrivals, resolvePlan } from './plan.js';
import { formatSummary } from './summary.js';

/** A server clock that runs at real speed from Monday 09:00 (as YIMEN_FAKE_TIME does). */
function runningClock(): ManualClock {
  let offset = MONDAY_9AM - Date.now();
  const clock = (() => Date.now() + offset) as ManualClock;
  clock.set = (x) => {
    offset = (typeof x === 'string' ? Date.parse(x) : x) - Date.now();
  };
  clock.advance = (x) => {
    offset += x;
  };
  return clock;
}

/** An hour of the tiny hall: three comprehensive counters, a consult one, a pause, no-shows and transfers. */
const plan = resolvePlan({
  hall: tinyHallInput(),
  date: '2026-11-30',
  defaults: { noShowShare: 0.1, priorityShare: 0.1, serviceTime: {} },
  arrivals: [
    {
      name: 'general',
      services: ['gen-a', 'gen-b'],
      rates: [{ from: '09:00', to: '09:50', perHour: 14 }],
      transfer: { share: 0.2, to: 'consult' },
    },
    { name: 'consult', services: ['consult'], rates: [{ from: '09:00', to: '09:50', perHour: 6 }] },
  ],
  schedule: {
    default: { open: '09:00', close: '10:00', pauses: [] },
    counters: { w2: { pauses: [{ from: '09:20', to: '09:30' }] }, w4: { off: true } },
  },
  reactionSeconds: 10,
  walkSeconds: 20,
  noShowGraceSeconds: 60,
});

describe('the load run against a real server', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer({ enforceHours: false, clock: runningClock() });
  });
  afterAll(async () => {
    await server?.close();
  });

  it('replays a day over API v1 at speed 600: every arrival a ticket, no errors, every call ended', async () => {
    const arrivals = drawArrivals(plan, 3);
    expect(arrivals.length).toBeGreaterThan(8);
    const drawn: string[] = [];
    const run = await runLoad({
      plan,
      seed: 3,
      server: server.url,
      adminPassword: ADMIN_PASSWORD,
      speed: 600,
      progress: { write: (s) => drawn.push(s) },
    });
    const { load, summary } = run;
    expect(run.businessDay).toBe('2026-11-30');
    expect(load.errors).toEqual({});
    expect(load.foreign).toBe(0);
    expect(load.plannedArrivals).toBe(arrivals.length);
    expect(load.issued).toBe(arrivals.length);
    expect(summary.all.tickets).toBe(arrivals.length);
    expect(summary.refused).toEqual({});
    expect(load.endpoints.find((e) => e.endpoint === 'POST /tickets')?.count).toBe(arrivals.length);
    expect(load.endpoints.find((e) => e.endpoint === 'POST /counters/{id}/call-next')?.count).toBeGreaterThan(0);

    // The server agrees: nobody waits (every counter drained), and each ticket's times are the API's own.
    const admin = await server.admin();
    const queues = await server.api('GET', '/queues', admin);
    expect(queues.json.queues.reduce((a: number, q: { waiting: number }) => a + q.waiting, 0)).toBe(0);
    let called = 0;
    for (const t of run.tickets) {
      const r = await server.api('GET', `/tickets/${t.id}`, admin);
      expect(r.status).toBe(200);
      const ticket = r.json.ticket;
      expect(ticket.issuedAt).toBe(t.issuedAt);
      expect(['done', 'no_show']).toContain(ticket.status);
      expect(ticket.status === 'no_show').toBe(t.out.outcome === 'no-show');
      expect(t.out.calledAt).not.toBeNull();
      const wait = (Date.parse(t.calledAt as string) - Date.parse(t.issuedAt)) / 1000;
      expect(wait).toBeGreaterThanOrEqual(0);
      expect((t.out.calledAt as number) - t.out.issuedAt).toBeCloseTo(wait * 600, 6);
      called++;
    }
    expect(called).toBe(arrivals.length);
    expect(summary.all.called).toBe(arrivals.length);
    expect(summary.all.unserved).toBe(0);
    expect(summary.all.served + summary.all.noShows).toBe(arrivals.length);
    expect(summary.all.noShows).toBe(arrivals.filter((a) => a.noShow).length);
    expect(summary.all.p50).toBeGreaterThanOrEqual(0);
    expect(summary.all.mean).toBeGreaterThanOrEqual(0);
    expect(summary.utilisation).toBeGreaterThan(0);
    expect(summary.utilisation).toBeLessThanOrEqual(1);
    for (const c of (await server.api('GET', '/hall', admin)).json.counters)
      expect([c.id, c.state, c.currentTicketId]).toEqual([c.id, 'closed', null]);
    // The progress bar was drawn and ends full.
    expect(drawn.at(-2)).toContain(`100% ${arrivals.length}/${arrivals.length} tickets, 0 errors`);
    expect(formatLoad(load)).toContain('POST /tickets');
    expect(formatSummary(summary)).toContain('ALL');
  }, 30_000);

  it('draws a plain-text progress line', () => {
    expect(progressLine(540, 1200, 3, 10 * 3600 + 32 * 60, 10)).toBe('[####......] 45% 540/1200 tickets, 3 errors, 10:32');
    expect(progressLine(0, 0, 1, 0, 4)).toBe('[####] 100% 0/0 tickets, 1 error, 00:00');
  });
});
