/** A2 S5: a person's session expires after 16 h; its open sockets are closed by the sweep, not only on commands. */
import { afterEach, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../fixtures.js';
import { type Recorder, record, waitFor } from './helpers.js';

let server: TestServer;
let clerk: Recorder | undefined;
let pad: Recorder | undefined;
afterEach(async () => {
  clerk?.socket.disconnect();
  pad?.socket.disconnect();
  await server?.close();
});

describe('session expiry', () => {
  it('A2 S5 an expired session gets session:revoked and is disconnected; a device token stays', async () => {
    server = await startServer({ sessionSweepMs: 50 });
    const token = await server.login('clerk1');
    clerk = await record(server.url, token);
    pad = await record(server.url, (await server.device('evaluation-pad', 'w1')).token);
    await waitFor(() => clerk !== undefined && clerk.snapshots.length > 0 && (pad?.snapshots.length ?? 0) > 0, 'snapshots');
    server.clock.advance(16 * 3600_000 + 1000);
    await waitFor(() => clerk?.log.some((e) => e.startsWith('disconnect')) ?? false, 'the expired session to be disconnected');
    expect(clerk.log).toContain('session:revoked');
    expect(clerk.log.indexOf('session:revoked')).toBeLessThan(clerk.log.findIndex((e) => e.startsWith('disconnect')));
    expect((await server.api('GET', '/hall', token)).status).toBe(401);
    expect(pad.socket.connected).toBe(true);
  });
});
