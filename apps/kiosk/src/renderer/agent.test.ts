/** The socket.io transport to the agent (contract.ts), against a small socket.io server playing the agent. */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server } from 'socket.io';
import { afterEach, describe, expect, it } from 'vitest';
import type { AgentEvent, AgentStatus, AgentToRendererEvents, RendererToAgentEvents, TakeNumberRequest } from '../contract.js';
import { SocketAgent } from './agent.js';

const STATUS: AgentStatus = {
  agentProtocolVersion: 1,
  printer: { state: 'ready', message: '打印机正常' },
  reader: { state: 'ready', message: '读卡器就绪' },
  card: null,
  server: { reachable: true },
  paper: 80,
};

let stop: (() => Promise<void>) | null = null;
afterEach(async () => {
  await stop?.();
  stop = null;
});

async function fakeAgent(key: string) {
  const http = createServer();
  const io = new Server<RendererToAgentEvents, AgentToRendererEvents>(http);
  const takes: TakeNumberRequest[] = [];
  let cleared = 0;
  io.use((socket, next) => {
    if ((socket.handshake.auth as { key?: string }).key === key) return next();
    const err = new Error('unauthorized') as Error & { data?: unknown };
    err.data = { code: 'AGENT_UNAUTHORIZED' };
    next(err);
  });
  io.on('connection', (socket) => {
    socket.on('agent:status', (ack) => ack({ data: STATUS }));
    socket.on('card:clear', (ack) => {
      cleared++;
      ack({ data: null });
    });
    socket.on('ticket:take', (req, ack) => {
      takes.push(req);
      if (req.serviceId === 'capped')
        return ack({ error: { code: 'DAILY_CAP_REACHED', message: '该业务今日号票已取完，请改日再来。' } });
      ack({
        data: {
          ticket: {
            id: 't1',
            number: 'A001',
            serviceId: req.serviceId,
            status: 'waiting',
            priority: 'none',
            businessDay: '2026-11-30',
            issuedAt: '2026-11-30T09:00:00+08:00',
            calledAt: null,
            startedAt: null,
            finishedAt: null,
            counterId: null,
            targetCounterId: null,
            recallCount: 0,
            transferCount: 0,
            peopleAhead: 0,
            estimatedWaitMinutes: 0,
            statusPath: '/t/abc',
          },
          statusUrl: 'http://hall/t/abc',
          printed: true,
          printError: null,
        },
      });
    });
  });
  await new Promise<void>((r) => http.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
  stop = () => new Promise<void>((r) => io.close(() => r()));
  return { io, url, takes, cleared: () => cleared };
}

const until = async (cond: () => boolean) => {
  for (let i = 0; i < 200 && !cond(); i++) await new Promise((r) => setTimeout(r, 10));
  expect(cond()).toBe(true);
};

describe('SocketAgent', () => {
  it('asks the status, takes a number, clears the card and hears events', async () => {
    const agent = await fakeAgent('k1');
    const client = new SocketAgent(agent.url, 'k1');
    const events: AgentEvent[] = [];
    client.subscribe((e) => events.push(e));
    // on connect it reports the agent's status as an event
    await until(() => events.some((e) => e.type === 'status:changed' && e.status.printer.state === 'ready'));
    expect((await client.status()).printer.state).toBe('ready');

    const ok = await client.takeNumber({ serviceId: 'gen', requestId: 'r1', useCard: true });
    expect('data' in ok && ok.data.ticket.number).toBe('A001');
    expect(agent.takes).toEqual([{ serviceId: 'gen', requestId: 'r1', useCard: true }]);
    const refused = await client.takeNumber({ serviceId: 'capped', requestId: 'r2', useCard: false });
    expect('error' in refused && refused.error.code).toBe('DAILY_CAP_REACHED');

    await client.clearCard();
    expect(agent.cleared()).toBe(1);

    agent.io.emit('agent:event', {
      type: 'card:read',
      card: { maskedName: '张*', age: 70, elderly: true, cardType: 'resident', readAt: '2026-11-30T09:00:00+08:00' },
    });
    await until(() => events.some((e) => e.type === 'card:read'));
    client.close();
  });

  it('a wrong key: the printer is reported offline with the agent-unauthorized message, and nothing is issued', async () => {
    const agent = await fakeAgent('right');
    const client = new SocketAgent(agent.url, 'wrong');
    const events: AgentEvent[] = [];
    client.subscribe((e) => events.push(e));
    await until(() => events.length > 0);
    const s = await client.status();
    expect(s.printer.state).toBe('offline');
    expect(s.printer.message).toContain('未授权');
    const r = await client.takeNumber({ serviceId: 'gen', requestId: 'r1', useCard: false });
    expect('error' in r && r.error.code).toBe('SERVER_UNREACHABLE');
    expect(agent.takes).toEqual([]);
    client.close();
  });
});
