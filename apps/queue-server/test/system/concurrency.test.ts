/**
 * Many clients at once against a real server (real HTTP, real SQLite file): numbering (N2, V1), calls
 * (V3) and idempotency keys (I7) under parallel requests.
 */
import type { HallConfig } from '@yimen/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validateHallConfig } from '../../src/app/hall-config.js';
import { startServer, type TestServer, tinyHallInput } from '../fixtures.js';
import { ok, parallel, prefixOf, seqOf } from './helpers.js';

const COUNTERS = 10;
const TICKETS = 2_000;
const KIOSKS = 20;
/** Services without a cap or a per-person limit; gen-a and gen-b share the prefix A. */
const SERVICES = ['gen-a', 'gen-b', 'gen-a', 'gen-b', 'consult', 'fund', 'gen-a', 'consult'] as const;

/** The tiny hall's services with 10 identical counters and one clerk each. */
function bigHall(): HallConfig {
  const input = tinyHallInput();
  input.counters = Array.from({ length: COUNTERS }, (_, i) => ({
    id: `c${i + 1}`,
    number: i + 1,
    name: `${i + 1}号综合窗口`,
    kind: 'comprehensive' as const,
    serviceIds: ['gen-a', 'gen-b', 'consult', 'fund'],
  }));
  input.users = [
    ...Array.from({ length: COUNTERS }, (_, i) => ({
      username: `clerk${i + 1}`,
      name: `窗口人员${i + 1}`,
      role: 'clerk' as const,
      counterIds: [`c${i + 1}`],
      password: `clerk-pass-${i + 1}`,
    })),
    { username: 'manager', name: '值班主任', role: 'manager' as const, password: 'manager-pass' },
  ];
  return validateHallConfig(input);
}

let server: TestServer;
beforeAll(async () => {
  server = await startServer({ config: bigHall() });
});
afterAll(async () => server?.close());

describe('parallel clients', { timeout: 90_000 }, () => {
  it(`I7 N2 V1 V3 ${KIOSKS} kiosks issue ${TICKETS} tickets at once, ${COUNTERS} counters call them all`, async () => {
    const kiosks = await Promise.all(Array.from({ length: KIOSKS }, () => server.device('kiosk')));

    // ---- issuing: 20 kiosks in parallel, each its own device and its own requestIds
    const issued = await parallel(KIOSKS, TICKETS, async (i, w) => {
      const serviceId = SERVICES[i % SERVICES.length] as string;
      const kiosk = kiosks[w] as { token: string };
      const r = await server.api('POST', '/tickets', kiosk.token, { serviceId, requestId: `issue-${i}` });
      const t = ok(r, 201, `issue ${i}`).ticket;
      return { id: t.id as string, number: t.number as string, serviceId: t.serviceId as string };
    });
    expect(issued).toHaveLength(TICKETS);
    expect(new Set(issued.map((t) => t.id)).size).toBe(TICKETS);
    expect(new Set(issued.map((t) => t.number)).size).toBe(TICKETS); // V1: no number twice

    // N2: one contiguous sequence per prefix, shared by gen-a and gen-b: A001 … A<n> without a gap.
    const byPrefix = new Map<string, number[]>();
    for (const t of issued) {
      const p = prefixOf(t.number);
      byPrefix.set(p, [...(byPrefix.get(p) ?? []), seqOf(t.number)]);
    }
    expect([...byPrefix.keys()].sort()).toEqual(['A', 'G', 'J']);
    const expectedA = issued.filter((t) => t.serviceId === 'gen-a' || t.serviceId === 'gen-b').length;
    expect(byPrefix.get('A')).toHaveLength(expectedA);
    for (const [prefix, seqs] of byPrefix) {
      const sorted = [...seqs].sort((a, b) => a - b);
      expect(sorted, `prefix ${prefix}`).toEqual(Array.from({ length: sorted.length }, (_, k) => k + 1));
    }
    expect(issued.some((t) => t.number === 'A1000')).toBe(true); // N1: four digits past 999, never truncated

    // ---- calling: 10 counters call-next in parallel until 204
    const clerks = await Promise.all(
      Array.from({ length: COUNTERS }, (_, i) => server.login(`clerk${i + 1}`, `clerk-pass-${i + 1}`)),
    );
    await Promise.all(clerks.map(async (token, i) => ok(await server.api('POST', `/counters/c${i + 1}/open`, token), 200)));
    const calls: { counter: string; id: string }[] = [];
    await Promise.all(
      clerks.map(async (token, i) => {
        const counter = `c${i + 1}`;
        for (;;) {
          const r = await server.api('POST', `/counters/${counter}/call-next`, token, {});
          if (r.status === 204) return;
          const t = ok(r, 200, `call-next ${counter}`).ticket;
          expect(t).toMatchObject({ status: 'called', counterId: counter });
          calls.push({ counter, id: t.id });
        }
      }),
    );
    // Every ticket called exactly once; never the same ticket twice.
    expect(calls).toHaveLength(TICKETS);
    expect(new Set(calls.map((c) => c.id))).toEqual(new Set(issued.map((t) => t.id)));

    // V3, T1: the call-next that answered 204 finished what the counter held, so no counter holds a
    // ticket and every ticket is done (called exactly once, then finished exactly once).
    const hall = ok(await server.api('GET', '/hall', clerks[0]), 200);
    for (const c of hall.counters) expect(c.currentTicketId, c.id).toBeNull();
    const statuses = await parallel(KIOSKS, TICKETS, async (i) => {
      const t = ok(await server.api('GET', `/tickets/${(issued[i] as { id: string }).id}`, clerks[0]), 200).ticket;
      return { id: t.id as string, status: t.status as string, counterId: t.counterId as string | null };
    });
    const calledAt = new Map(calls.map((c) => [c.id, c.counter]));
    for (const t of statuses) expect(t, t.id).toEqual({ id: t.id, status: 'done', counterId: calledAt.get(t.id) });
    const queues = ok(await server.api('GET', '/queues', clerks[0]), 200).queues;
    for (const q of queues) expect(q.waiting, q.serviceId).toBe(0);
  });

  it('I7 one requestId sent 5 times at once by one kiosk issues one ticket', async () => {
    const kiosk = await server.device('kiosk');
    const before = ok(await server.api('POST', '/tickets', kiosk.token, { serviceId: 'consult', requestId: 'probe-1' }), 201);
    const answers = await Promise.all(
      Array.from({ length: 5 }, () =>
        server.api('POST', '/tickets', kiosk.token, { serviceId: 'consult', requestId: 'same-key-1' }),
      ),
    );
    for (const a of answers) expect([200, 201]).toContain(a.status);
    expect(answers.filter((a) => a.status === 201)).toHaveLength(1);
    const ids = new Set(answers.map((a) => a.json.ticket.id));
    expect(ids.size).toBe(1);
    const numbers = new Set(answers.map((a) => a.json.ticket.number));
    expect(numbers).toEqual(new Set([`J${String(seqOf(before.ticket.number) + 1).padStart(3, '0')}`]));
    // No second ticket was issued: the next one takes the very next number.
    const after = ok(await server.api('POST', '/tickets', kiosk.token, { serviceId: 'consult', requestId: 'probe-2' }), 201);
    expect(seqOf(after.ticket.number)).toBe(seqOf(before.ticket.number) + 2);
    // The same key for another service is refused, not a second ticket.
    const reused = await server.api('POST', '/tickets', kiosk.token, { serviceId: 'gen-a', requestId: 'same-key-1' });
    expect(reused.status).toBe(409);
    expect(reused.json.error.code).toBe('REQUEST_ID_REUSED');
    // Another kiosk has its own keys: the same key issues its own ticket.
    const other = await server.device('kiosk');
    const theirs = ok(await server.api('POST', '/tickets', other.token, { serviceId: 'consult', requestId: 'same-key-1' }), 201);
    expect(ids.has(theirs.ticket.id)).toBe(false);
  });

  it('I7 one call-next requestId sent 5 times at once calls one ticket', async () => {
    const kiosk = await server.device('kiosk');
    const token = await server.login('clerk1', 'clerk-pass-1');
    // The first test left c1 open, holding a ticket: empty the queues, then issue three.
    ok(await server.api('POST', '/counters/c1/finish', token), [200, 409]);
    while ((await server.api('POST', '/counters/c1/call-next', token, {})).status === 200) {}
    ok(await server.api('POST', '/counters/c1/finish', token), [200, 409]);
    const tickets = [];
    for (let i = 0; i < 3; i++)
      tickets.push(
        ok(await server.api('POST', '/tickets', kiosk.token, { serviceId: 'gen-b', requestId: `cn-${i}` }), 201).ticket,
      );
    const answers = await Promise.all(
      Array.from({ length: 5 }, () => server.api('POST', '/counters/c1/call-next', token, { requestId: 'call-key-1' })),
    );
    for (const a of answers) expect(a.status).toBe(200);
    expect(new Set(answers.map((a) => a.json.ticket.id))).toEqual(new Set([tickets[0].id]));
    const [second, third] = await Promise.all(
      [tickets[1], tickets[2]].map(async (t) => ok(await server.api('GET', `/tickets/${t.id}`, token), 200).ticket),
    );
    expect(second.status).toBe('waiting');
    expect(third.status).toBe('waiting');
    expect(ok(await server.api('GET', '/hall', token), 200).counters.find((c: { id: string }) => c.id === 'c1')).toMatchObject({
      currentTicketId: tickets[0].id,
    });
  });
});
