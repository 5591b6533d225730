/** A1: password guessing is slowed per username; the contract's error body throughout. */
import { afterEach, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../fixtures.js';

let server: TestServer;
afterEach(async () => server?.close());

describe('login throttle', () => {
  it('A1 five wrong passwords lock the username for ten minutes, even for the right one; others are unaffected', async () => {
    server = await startServer();
    for (let i = 0; i < 5; i++) {
      const r = await server.api('POST', '/auth/login', null, { username: 'clerk1', password: `wrong-${i}` });
      expect(r.status).toBe(401);
      expect(r.json.error.code).toBe('UNAUTHENTICATED');
    }
    const locked = await server.api('POST', '/auth/login', null, { username: 'CLERK1', password: 'clerk-pass-1' });
    expect(locked.status).toBe(429);
    expect(locked.json).toStrictEqual({ error: { code: 'TOO_MANY_REQUESTS', message: expect.stringContaining('10 分钟') } });
    expect((await server.api('POST', '/auth/login', null, { username: 'clerk2', password: 'clerk-pass-2' })).status).toBe(200);
    server.clock.advance(9 * 60_000);
    expect((await server.api('POST', '/auth/login', null, { username: 'clerk1', password: 'clerk-pass-1' })).status).toBe(429);
    server.clock.advance(60_000 + 1);
    expect((await server.api('POST', '/auth/login', null, { username: 'clerk1', password: 'clerk-pass-1' })).status).toBe(200);
  });

  it('A1 a success clears the failures, so a clerk who mistypes now and then is never locked', async () => {
    server = await startServer();
    for (let round = 0; round < 3; round++) {
      for (let i = 0; i < 4; i++)
        expect((await server.api('POST', '/auth/login', null, { username: 'clerk1', password: 'typo' })).status).toBe(401);
      expect((await server.api('POST', '/auth/login', null, { username: 'clerk1', password: 'clerk-pass-1' })).status).toBe(200);
    }
  });
});
