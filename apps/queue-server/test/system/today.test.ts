/** S1 S2: each counter's work today in the snapshot, and the same counts folded from the facts. */
import { applyFact, viewFromSnapshot } from '@yimen/shared';
import { afterEach, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../fixtures.js';
import { type Recorder, record, waitFor } from './helpers.js';

let server: TestServer;
const open: Recorder[] = [];
afterEach(async () => {
  for (const r of open.splice(0)) r.socket.disconnect();
  await server?.close();
});

describe('today’s counts', () => {
  it('S1 S2 finished tickets and no-shows per counter: from the events in a snapshot, and from the facts', async () => {
    server = await startServer();
    const kiosk = await server.device('kiosk');
    const clerk = await server.login('clerk1');
    const early = await record(server.url, clerk);
    open.push(early);
    await waitFor(() => early.snapshots.length > 0, 'the first snapshot');
    expect(early.snapshots[0]?.today).toEqual([]);
    for (let i = 0; i < 4; i++) await server.api('POST', '/tickets', kiosk.token, { serviceId: 'gen-a', requestId: `t${i}` });
    await server.api('POST', '/counters/w1/open', clerk);
    await server.api('POST', '/counters/w1/call-next', clerk, {}); // A001
    await server.api('POST', '/counters/w1/call-next', clerk, {}); // finishes A001, calls A002
    await server.api('POST', '/counters/w1/no-show', clerk); // A002
    await server.api('POST', '/counters/w1/call-next', clerk, {}); // A003
    await server.api('POST', '/counters/w1/finish', clerk);
    const late = await record(server.url, clerk);
    open.push(late);
    await waitFor(() => late.snapshots.length > 0, 'the late snapshot');
    expect(late.snapshots[0]?.today).toEqual([{ counterId: 'w1', served: 2, noShows: 1 }]);
    const lastSeq = late.snapshots[0]?.seq ?? 0;
    await waitFor(() => early.facts.at(-1)?.seq === lastSeq, 'the facts at the early client');
    let view = viewFromSnapshot(early.snapshots[0] as NonNullable<(typeof early.snapshots)[0]>);
    for (const f of early.facts) view = applyFact(view, f);
    expect(view.today).toEqual({ w1: { counterId: 'w1', served: 2, noShows: 1 } });
  });
});
