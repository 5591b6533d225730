/**
 * The agent's localhost socket for a renderer in a plain browser (`chromium --kiosk`): socket.io, websocket
 * only, on 127.0.0.1 by default, each connection proving the key given to the browser in its address. The
 * same KioskApi as Electron's `window.kiosk`, the same acknowledgements {data} | {error}.
 */
import { timingSafeEqual } from 'node:crypto';
import { createServer, type Server as HttpServer } from 'node:http';
import { Server } from 'socket.io';
import {
  type AgentAuth,
  type AgentToRendererEvents,
  agentError,
  type KioskApi,
  type RendererToAgentEvents,
} from '../contract.js';
import type { AgentLogger } from './agent.js';

export interface AgentSocket {
  /** http://host:port */
  url: string;
  port: number;
  close(): Promise<void>;
}

function keyMatches(given: unknown, key: string): boolean {
  if (typeof given !== 'string') return false;
  const a = Buffer.from(given);
  const b = Buffer.from(key);
  return a.length === b.length && timingSafeEqual(a, b);
}

export function listenForRenderers(
  api: KioskApi,
  opts: { host: string; port: number; key: string },
  log?: AgentLogger,
): Promise<AgentSocket> {
  const http: HttpServer = createServer((_req, res) => {
    res.writeHead(404, { 'content-type': 'application/json; charset=utf-8' });
    res.end(JSON.stringify({ error: { code: 'NOT_FOUND', message: '取号机本地服务只接受 socket 连接。' } }));
  });
  const io = new Server<RendererToAgentEvents, AgentToRendererEvents>(http, {
    transports: ['websocket'],
    // The renderer is served by the queue server (another origin); the key, not the origin, is the check.
    cors: { origin: true },
    maxHttpBufferSize: 16 * 1024,
  });
  io.use((socket, next) => {
    if (keyMatches((socket.handshake.auth as Partial<AgentAuth>).key, opts.key)) return next();
    log?.warn({ address: socket.handshake.address }, 'renderer refused: wrong agent key');
    const err = new Error(agentError('AGENT_UNAUTHORIZED').message) as Error & { data?: unknown };
    err.data = agentError('AGENT_UNAUTHORIZED');
    next(err);
  });
  io.on('connection', (socket) => {
    const unsubscribe = api.subscribe((e) => socket.emit('agent:event', e));
    socket.on('disconnect', unsubscribe);
    const safe = <T>(ack: unknown, run: () => Promise<{ data: T } | { error: { code: string; message: string } }>) => {
      if (typeof ack !== 'function') return;
      run().then(
        (r) => ack(r),
        (e: unknown) => {
          log?.error({ err: String(e) }, 'agent command failed');
          ack({ error: { code: 'INTERNAL', message: '取号机内部错误，请联系工作人员。' } });
        },
      );
    };
    socket.on('agent:status', (ack) => safe(ack, async () => ({ data: await api.status() })));
    socket.on('ticket:take', (req, ack) => safe(ack, () => api.takeNumber(req)));
    socket.on('card:clear', (ack) =>
      safe(ack, async () => {
        await api.clearCard();
        return { data: null };
      }),
    );
  });
  return new Promise((resolve, reject) => {
    http.once('error', reject);
    http.listen(opts.port, opts.host, () => {
      http.off('error', reject);
      const a = http.address();
      const port = typeof a === 'object' && a ? a.port : opts.port;
      resolve({
        url: `http://${opts.host}:${port}`,
        port,
        close: () => new Promise<void>((r) => io.close(() => r())),
      });
    });
  });
}
