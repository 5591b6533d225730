/**
 * The realtime protocol end to end (S1–S5): real socket.io clients against a real server, driven by
 * real HTTP commands.
 */
import { applyFact, classifyFact, type FactMessage, PROTOCOL_VERSION, type Snapshot, viewFromSnapshot } from '@yimen/shared';
import { afterEach, describe, expect, it } from 'vitest';
import { startServer, type TestServer, type YSocket } from '../fixtures.js';
import { idNumber, ok, type Recorder, record, waitFor } from './helpers.js';

let server: TestServer;
const recorders: Recorder[] = [];
afterEach(async () => {
  for (const r of recorders.splice(0)) r.socket.disconnect();
  await server?.close();
});

async function client(token: string | undefined): Promise<Recorder> {
  const r = await record(server.url, token);
  recorders.push(r);
  await waitFor(() => r.snapshots.length > 0, 'the first snapshot');
  return r;
}

/** Sends a command with any payload (malformed ones included) and resolves with its acknowledgement. */
// biome-ignore lint/suspicious/noExplicitAny: acknowledgements are inspected loosely
function ask(socket: YSocket, event: string, ...payload: unknown[]): Promise<any> {
  const raw = socket as unknown as { timeout(ms: number): { emitWithAck(ev: string, ...a: unknown[]): Promise<unknown> } };
  return raw.timeout(5_000).emitWithAck(event, ...payload);
}

/** The server's current sequence number, from a fresh snapshot asked over the socket. */
async function currentSeq(r: Recorder): Promise<number> {
  const ack = await ask(r.socket, 'sync:snapshot');
  return (ack.data as Snapshot).seq;
}

function factsAreContiguous(snapshot: Snapshot, facts: FactMessage[]): void {
  let current = { epoch: snapshot.epoch, seq: snapshot.seq };
  for (const f of facts) {
    expect(classifyFact(current, f), `fact ${f.seq} ${f.type}`).toBe('apply');
    current = { epoch: f.epoch, seq: f.seq };
  }
}

const comparable = (s: Snapshot) => ({
  epoch: s.epoch,
  seq: s.seq,
  tickets: s.tickets,
  counters: s.counters,
  queues: s.queues,
  recentCalls: s.recentCalls,
  hall: s.hall,
});

describe('realtime', () => {
  it('S1 S2 S3 S4 two clients get a snapshot, then the same facts in the same order, with nothing personal', async () => {
    server = await startServer();
    const display = await server.device('hall-display');
    const kiosk = await server.device('kiosk');
    const clerk = await server.login('clerk1');
    const manager = await server.login('manager');
    const a = await client(display.token);
    const b = await client(clerk);

    for (const r of [a, b]) {
      const s = r.snapshots[0] as Snapshot;
      expect(s.protocolVersion).toBe(PROTOCOL_VERSION);
      expect(typeof s.epoch).toBe('string');
      expect(Number.isInteger(s.seq)).toBe(true);
      expect(s.counters.map((c) => c.id)).toEqual(['w1', 'w2', 'w3', 'w4', 'w5']);
      expect(s.services.length).toBeGreaterThan(0);
      expect(s.queues.length).toBe(s.services.length);
    }
    expect(a.snapshots[0]?.audience).toMatchObject({ type: 'device', kind: 'hall-display' });
    expect(b.snapshots[0]?.audience).toMatchObject({ type: 'user', role: 'clerk' });
    expect(a.snapshots[0]?.epoch).toBe(b.snapshots[0]?.epoch);
    expect(a.snapshots[0]?.seq).toBe(b.snapshots[0]?.seq);

    // A day's worth of commands, each kind once.
    const ids = [idNumber('11010519491231002'), idNumber('44030419800229123'), idNumber('32010219991111007')];
    const issued = [];
    for (const [i, serviceId] of ['gen-a', 'gen-b', 'gen-a', 'consult', 're'].entries())
      issued.push(
        ok(
          await server.api('POST', '/tickets', kiosk.token, {
            serviceId,
            requestId: `s-${i}`,
            ...(ids[i] ? { idNumber: ids[i] } : {}),
            ...(i === 1 ? { priority: 'disabled' } : {}),
          }),
          201,
        ).ticket,
      );
    const statusKeys = issued.map((t) => String(t.statusPath).replace('/t/', ''));
    ok(await server.api('POST', '/counters/w1/open', clerk), 200);
    ok(await server.api('POST', '/counters/w1/call-next', clerk, {}), 200);
    ok(await server.api('POST', '/counters/w1/recall', clerk), 200);
    ok(await server.api('POST', '/counters/w1/start', clerk), 200);
    ok(await server.api('POST', '/counters/w1/finish', clerk), 200);
    const second = ok(await server.api('POST', '/counters/w1/call-next', clerk, {}), 200).ticket;
    ok(await server.api('POST', '/counters/w1/no-show', clerk), 200);
    ok(await server.api('POST', `/tickets/${second.id}/reactivate`, clerk), 200);
    ok(await server.api('POST', '/counters/w1/call-next', clerk, {}), 200);
    ok(await server.api('POST', '/counters/w1/transfer', clerk, { serviceId: 'consult' }), 200);
    ok(await server.api('POST', `/tickets/${issued[4].id}/cancel`, manager), 200);
    ok(await server.api('POST', '/counters/w1/pause', clerk), 200);
    ok(await server.api('POST', '/counters/w1/resume', clerk), 200);

    const last = await currentSeq(b);
    await waitFor(() => a.facts.at(-1)?.seq === last && b.facts.at(-1)?.seq === last, 'every fact at both clients');
    // S2: the same facts, in one order, numbered without a gap from the snapshot on (S3: all 'apply').
    expect(a.facts).toEqual(b.facts);
    factsAreContiguous(a.snapshots[0] as Snapshot, a.facts);
    expect(a.facts[0]?.seq).toBe((a.snapshots[0]?.seq ?? 0) + 1);
    expect(new Set(a.facts.map((f) => f.type))).toEqual(
      new Set([
        'ticket:issued',
        'queue:updated',
        'counter:opened',
        'ticket:called',
        'ticket:recalled',
        'ticket:started',
        'ticket:finished',
        'ticket:no-show',
        'ticket:reactivated',
        'ticket:transferred',
        'ticket:cancelled',
        'counter:paused',
        'counter:resumed',
      ]),
    );
    expect(a.facts.filter((f) => f.type === 'ticket:issued').map((f) => (f as { ticket: { id: string } }).ticket.id)).toEqual(
      issued.map((t) => t.id),
    );

    // S4: nothing personal and no secret key in any snapshot or fact.
    const late = await client(display.token);
    const wire = JSON.stringify([a.snapshots, a.facts, b.snapshots, b.facts, late.snapshots]);
    for (const id of ids) {
      expect(wire).not.toContain(id);
      expect(wire).not.toContain(id.slice(0, 17));
    }
    for (const word of ['personKey', 'person_key', 'statusKey', 'status_key', 'statusPath', 'idNumber', 'password'])
      expect(wire).not.toContain(word);
    for (const key of statusKeys) expect(wire).not.toContain(key);
  });

  it('S1 a call made before a client connects is in its snapshot', async () => {
    server = await startServer();
    const kiosk = await server.device('kiosk');
    const clerk = await server.login('clerk2');
    const t = ok(await server.api('POST', '/tickets', kiosk.token, { serviceId: 'gen-b', requestId: 'p1' }), 201).ticket;
    ok(await server.api('POST', '/counters/w2/open', clerk), 200);
    ok(await server.api('POST', '/counters/w2/call-next', clerk, {}), 200);

    const hall = await client((await server.device('hall-display')).token);
    const s = hall.snapshots[0] as Snapshot;
    expect(s.recentCalls[0]).toMatchObject({ ticketId: t.id, number: 'A001', counterId: 'w2', counterNumber: 2, recall: false });
    expect(s.counters.find((c) => c.id === 'w2')).toMatchObject({ state: 'open', currentTicketId: t.id });
    expect(s.tickets.find((x) => x.id === t.id)).toMatchObject({ status: 'called', counterId: 'w2' });
    expect(s.seq).toBeGreaterThan(0);
  });

  it('W5 S2 the facts keep every queue as a fresh snapshot has it: other services and counter changes too', async () => {
    server = await startServer();
    const kiosk = await server.device('kiosk');
    const clerk = await server.login('clerk1');
    const display = await server.device('hall-display');
    const a = await client(display.token);
    const folded = () => {
      let view = viewFromSnapshot(a.snapshots[0] as Snapshot);
      for (const f of a.facts) view = applyFact(view, f);
      return view.queues;
    };
    const steps: [string, () => Promise<unknown>][] = [
      ['a gen-a ticket', () => server.api('POST', '/tickets', kiosk.token, { serviceId: 'gen-a', requestId: 'w5-1' })],
      ['another', () => server.api('POST', '/tickets', kiosk.token, { serviceId: 'gen-a', requestId: 'w5-2' })],
      ['w1 opens', () => server.api('POST', '/counters/w1/open', clerk)],
      ['w1 calls', () => server.api('POST', '/counters/w1/call-next', clerk, {})],
      ['w1 pauses', () => server.api('POST', '/counters/w1/pause', clerk)],
    ];
    for (const [what, step] of steps) {
      const before = a.facts.length;
      await step();
      const last = await currentSeq(a);
      await waitFor(() => a.facts.at(-1)?.seq === last, what);
      const fresh = (await client(display.token)).snapshots[0] as Snapshot;
      // The clock stands still, so even the oldest waits agree.
      expect(folded(), what).toEqual(Object.fromEntries(fresh.queues.map((q) => [q.serviceId, q])));
      const told = a.facts.slice(before).flatMap((f) => (f.type === 'queue:updated' ? f.queues.map((q) => q.serviceId) : []));
      // Only what moved is told, once per commit.
      expect(new Set(told).size, what).toBe(told.length);
      if (what === 'a gen-a ticket') expect(told).toEqual(expect.arrayContaining(['gen-a', 'gen-b']));
    }
  });

  it('S1 S3 a client cut off while facts happen converges when it reconnects', async () => {
    server = await startServer();
    const kiosk = await server.device('kiosk');
    const clerk = await server.login('clerk1');
    const display = await server.device('hall-display');
    const a = await client(display.token);
    ok(await server.api('POST', '/counters/w1/open', clerk), 200);
    ok(await server.api('POST', '/tickets', kiosk.token, { serviceId: 'gen-a', requestId: 'c1' }), 201);
    await waitFor(() => a.facts.some((f) => f.type === 'queue:updated'), 'the first facts');
    const seenBefore = a.facts.at(-1)?.seq ?? 0;

    // Cut off: the transport drops (reconnection is off, so it stays down).
    a.socket.io.engine.close();
    await waitFor(() => !a.socket.connected, 'the cut');
    for (let i = 0; i < 4; i++)
      ok(
        await server.api('POST', '/tickets', kiosk.token, { serviceId: i % 2 ? 'gen-b' : 'consult', requestId: `c2-${i}` }),
        201,
      );
    ok(await server.api('POST', '/counters/w1/call-next', clerk, {}), 200);
    ok(await server.api('POST', '/counters/w1/start', clerk), 200);
    ok(await server.api('POST', '/counters/w1/call-next', clerk, {}), 200);
    const factsWhileAway = a.facts.length;

    a.socket.connect();
    await waitFor(() => a.snapshots.length === 2, 'the snapshot on reconnect');
    expect(a.facts.length).toBe(factsWhileAway); // nothing arrived while it was away
    const again = a.snapshots[1] as Snapshot;
    expect(again.seq).toBeGreaterThan(seenBefore);
    const fresh = await client(display.token);
    expect(comparable(again)).toEqual(comparable(fresh.snapshots[0] as Snapshot));
    expect(again.tickets.filter((t) => t.status === 'waiting')).toHaveLength(3);

    // Both go on from there with the same facts.
    ok(await server.api('POST', '/counters/w1/finish', clerk), 200);
    const last = await currentSeq(fresh);
    await waitFor(() => a.facts.at(-1)?.seq === last && fresh.facts.at(-1)?.seq === last, 'the next facts');
    const afterReconnect = a.facts.slice(factsWhileAway);
    expect(afterReconnect).toEqual(fresh.facts);
    factsAreContiguous(again, afterReconnect);
  });

  it('S5 a bad, missing or revoked token gets connect_error UNAUTHENTICATED', async () => {
    server = await startServer();
    for (const token of ['not-a-token', '', undefined]) {
      const err = await record(server.url, token).then(
        () => null,
        (e: Error & { data?: { code?: string } }) => e,
      );
      expect(err?.data?.code, String(token)).toBe('UNAUTHENTICATED');
    }
    const device = await server.device('hall-display');
    expect((await server.api('DELETE', `/devices/${device.id}`, await server.admin())).status).toBe(204);
    const err = await record(server.url, device.token).then(
      () => null,
      (e: Error & { data?: { code?: string } }) => e,
    );
    expect(err?.data?.code).toBe('UNAUTHENTICATED');
  });

  it('S5 DELETE /devices/{id} and POST /auth/logout disconnect those sockets at once, session:revoked first', async () => {
    server = await startServer();
    const admin = await server.admin();
    const gone = await server.device('hall-display');
    const stays = await server.device('hall-display');
    const clerk1 = await server.login('clerk1');
    const clerk3 = await server.login('clerk3');
    const d1 = await client(gone.token);
    const d2 = await client(stays.token);
    const c1 = await client(clerk1);
    const c3 = await client(clerk3);

    expect((await server.api('DELETE', `/devices/${gone.id}`, admin)).status).toBe(204);
    await waitFor(() => d1.log.some((e) => e.startsWith('disconnect')), 'the revoked device’s disconnect');
    expect(d1.log.filter((e) => e === 'session:revoked' || e.startsWith('disconnect'))).toEqual([
      'session:revoked',
      'disconnect:io server disconnect',
    ]);

    expect((await server.api('POST', '/auth/logout', clerk1)).status).toBe(204);
    await waitFor(() => c1.log.some((e) => e.startsWith('disconnect')), 'the logged-out clerk’s disconnect');
    expect(c1.log.filter((e) => e === 'session:revoked' || e.startsWith('disconnect'))).toEqual([
      'session:revoked',
      'disconnect:io server disconnect',
    ]);
    expect((await server.api('GET', '/hall', clerk1)).status).toBe(401);

    // The others are still connected and still hear facts.
    expect(d2.socket.connected && c3.socket.connected).toBe(true);
    ok(await server.api('POST', '/counters/w3/open', clerk3), 200);
    await waitFor(() => d2.facts.some((f) => f.type === 'counter:opened'), 'the display still hearing facts');
    await waitFor(() => c3.facts.some((f) => f.type === 'counter:opened'), 'the clerk still hearing facts');
    expect(d1.facts.some((f) => f.type === 'counter:opened')).toBe(false);
  });

  it('S2 socket commands: acknowledged {data} or {error}; malformed payloads are INVALID_REQUEST and the server goes on', async () => {
    server = await startServer();
    const kiosk = await server.device('kiosk');
    const clerk = await client(await server.login('clerk1'));
    const s = clerk.socket;

    expect((await ask(s, 'counter:open', { counterId: 'w1' })).data.counter).toMatchObject({ id: 'w1', state: 'open' });
    expect((await ask(s, 'counter:call-next', { counterId: 'w1' })).data).toEqual({ ticket: null });
    const t = ok(await server.api('POST', '/tickets', kiosk.token, { serviceId: 'gen-a', requestId: 'q1' }), 201).ticket;
    const called = await ask(s, 'counter:call-next', { counterId: 'w1', requestId: 'sock-1' });
    expect(called.data.ticket).toMatchObject({ id: t.id, status: 'called', counterId: 'w1' });
    expect((await ask(s, 'counter:call-next', { counterId: 'w1', requestId: 'sock-1' })).data.ticket.id).toBe(t.id); // I7
    expect((await ask(s, 'counter:pause', { counterId: 'w1' })).data.counter.state).toBe('paused');
    const refused = await ask(s, 'counter:call-next', { counterId: 'w1' });
    expect(refused.error.code).toBe('COUNTER_NOT_OPEN');
    expect(typeof refused.error.message).toBe('string');
    expect((await ask(s, 'counter:call-next', { counterId: 'w2' })).error.code).toBe('FORBIDDEN');
    expect((await ask(s, 'counter:call-next', { counterId: 'nope' })).error.code).toBe('NOT_FOUND');

    const malformed: [string, unknown[]][] = [
      ['counter:call-next', [{ counterId: 5 }]],
      ['counter:call-next', ['w1']],
      ['counter:call-next', [{ counterId: 'w1', extra: true }]],
      ['counter:call-next', [{ counterId: 'w1', requestId: 'bad key with spaces' }]],
      ['counter:call-next', [{}]],
      ['counter:call-next', [null]],
      ['counter:resume', [[1, 2, 3]]],
      ['counter:transfer', [{ counterId: 'w1', to: { serviceId: 'gen-b', counterId: 'w2' } }]],
      ['ticket:cancel', [{ ticketId: { $ne: null } }]],
      ['evaluation:submit', [{ ticketId: t.id, level: 'great' }]],
      ['counter:open', [{ counterId: 'x'.repeat(5_000) }]],
    ];
    for (const [event, payload] of malformed)
      expect((await ask(s, event, ...payload)).error?.code, `${event} ${JSON.stringify(payload).slice(0, 60)}`).toBe(
        'INVALID_REQUEST',
      );
    // A command without an acknowledgement and an unknown command are ignored.
    (s as unknown as { emit(ev: string, ...a: unknown[]): void }).emit('counter:resume', { counterId: 'w1' });
    (s as unknown as { emit(ev: string, ...a: unknown[]): void }).emit('no:such-command', { counterId: 'w1' });

    // The server keeps serving, on the same socket and over HTTP.
    expect(s.connected).toBe(true);
    expect((await ask(s, 'sync:snapshot')).data.protocolVersion).toBe(PROTOCOL_VERSION);
    expect((await server.api('GET', '/health')).status).toBe(200);
    // The resume without an acknowledgement did nothing: the counter is still paused until now.
    expect((await ask(s, 'counter:resume', { counterId: 'w1' })).data.counter.state).toBe('open');
    expect((await ask(s, 'counter:finish', { counterId: 'w1' })).data.ticket).toMatchObject({ id: t.id, status: 'done' });

    // A display may read but not command.
    const display = await client((await server.device('hall-display')).token);
    expect((await ask(display.socket, 'counter:call-next', { counterId: 'w1' })).error.code).toBe('FORBIDDEN');
  });
});
