import type { FactMessage } from '@yimen/shared';
/**
 * Many socket.io clients in this process (transport websocket only, no reconnection), connected in
 * small batches. Every socket is pushed into `into` before it connects, so a failure half way still
 * closes the ones already open.
 */
import { io, type Socket } from 'socket.io-client';

export interface ConnectOptions {
  /** The token of socket i (handshake auth), or none for a bare server. */
  token?: (i: number) => string;
  /** Wait for the 'sync:snapshot' the Yimen server sends on connect. */
  waitSnapshot?: boolean;
  batch?: number;
}

export async function connectMany(url: string, count: number, into: Socket[], opts: ConnectOptions = {}): Promise<Socket[]> {
  const batch = opts.batch ?? 25;
  const mine: Socket[] = [];
  for (let start = 0; start < count; start += batch) {
    const wave: Promise<void>[] = [];
    for (let i = start; i < Math.min(count, start + batch); i++) {
      const token = opts.token?.(i);
      const s = io(url, {
        ...(token ? { auth: { token } } : {}),
        transports: ['websocket'],
        reconnection: false,
        forceNew: true,
        timeout: 15_000,
      });
      into.push(s);
      mine.push(s);
      wave.push(
        new Promise<void>((resolve, reject) => {
          const timer = setTimeout(() => reject(new Error(`socket ${i}: not ready in 15 s`)), 15_000);
          const done = () => {
            clearTimeout(timer);
            resolve();
          };
          s.once('connect_error', (e) => {
            clearTimeout(timer);
            reject(new Error(`socket ${i}: ${e.message}`));
          });
          if (opts.waitSnapshot) s.once('sync:snapshot', done);
          else s.once('connect', done);
        }),
      );
    }
    await Promise.all(wave);
  }
  return mine;
}

export function closeAll(sockets: Socket[]): void {
  for (const s of sockets) {
    s.removeAllListeners();
    s.disconnect();
  }
  sockets.length = 0;
}

/** Calls `listener` for every fact, in order: the server sends the facts of one commit in one 'sync:facts' message. */
export function onFacts(socket: Socket, listener: (f: FactMessage) => void): void {
  socket.on('sync:facts', (batch: FactMessage[]) => {
    for (const f of batch) listener(f);
  });
}
