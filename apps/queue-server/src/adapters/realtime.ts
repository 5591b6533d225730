/**
 * The realtime adapter: socket.io with the API's bearer tokens. A snapshot on connect, then every fact
 * in order; commands `entity:verb` acknowledged {data} | {error}. Revoking a token disconnects its sockets.
 */
import type { Server as HttpServer } from 'node:http';
import type { Ack, Audience, ClientToServerEvents, ServerToClientEvents } from '@yimen/shared';
import { apiError, CallNumberBody, EvaluationBody, Id, RequestId, TransferBody } from '@yimen/shared';
import { Server, type Socket } from 'socket.io';
import { z } from 'zod';
import { AppError } from '../app/errors.js';
import type { HallService } from '../app/hall-service.js';
import type { AuthStore, Principal } from './auth.js';

interface SocketData {
  principal: Principal;
  token: string;
}
type YimenSocket = Socket<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;
export type YimenServer = Server<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;

/** The room of sockets that have their snapshot and get every fact. */
const LIVE = 'live';
/** The room of managers' and admins' sockets: device presence goes there. */
const STAFF = 'staff';
const CounterCmd = z.strictObject({ counterId: Id });
const CallNextCmd = z.strictObject({ counterId: Id, requestId: RequestId.optional() });
const CallNumberCmd = z.strictObject({ counterId: Id, number: CallNumberBody.shape.number, requestId: RequestId.optional() });
const TicketCmd = z.strictObject({ ticketId: Id });
const TransferCmd = z.strictObject({ counterId: Id, to: TransferBody });

export function audienceOf(p: Principal): Audience {
  return p.type === 'user'
    ? { type: 'user', id: p.user.id, role: p.user.role, name: p.user.name, counterIds: p.user.counterIds }
    : { type: 'device', id: p.device.id, kind: p.device.kind, counterId: p.device.counterId };
}

export interface Realtime {
  io: YimenServer;
  revoke(what: { deviceId?: string; tokenHash?: string }): void;
  close(): Promise<void>;
}

export function attachRealtime(
  httpServer: HttpServer,
  deps: {
    service: HallService;
    auth: AuthStore;
    clock: () => number;
    log: { warn: (o: object, m: string) => void };
    /** How often open sockets are re-checked for expired sessions, ms. */
    sweepMs?: number;
  },
): Realtime {
  const { service, auth, clock } = deps;
  const io: YimenServer = new Server(httpServer, {
    serveClient: false,
    maxHttpBufferSize: 64 * 1024,
    pingInterval: 10_000,
    pingTimeout: 8_000,
    cors: { origin: false },
  });

  io.use((socket, next) => {
    const raw = (socket.handshake.auth as { token?: unknown } | undefined)?.token;
    const token = typeof raw === 'string' ? raw : '';
    const principal = token ? auth.authenticate(token, clock()) : null;
    if (!principal) {
      const err = new Error(apiError('UNAUTHENTICATED').message) as Error & { data: unknown };
      err.data = apiError('UNAUTHENTICATED');
      return next(err);
    }
    socket.data.principal = principal;
    socket.data.token = token;
    // Turn the business day over now, before this socket joins the broadcast: otherwise the snapshot's
    // own day:changed fact would reach it ahead of the snapshot (S1: the snapshot comes first).
    service.tick();
    next();
  });

  const unsubscribePresence = service.onPresence((d) => io.to(STAFF).emit('device:presence', d));
  const unsubscribe = service.subscribe((facts) => {
    io.to(LIVE).emit('sync:facts', facts);
  });

  io.on('connection', (socket: YimenSocket) => {
    // S1: the snapshot is taken once everything so far is committed (so it holds no change whose fact is
    // still to come), sent, and only then does the socket join the broadcast: its first fact is the next one.
    service.durable().then(
      () => {
        if (!socket.connected) return;
        socket.emit('sync:snapshot', service.snapshot(audienceOf(socket.data.principal)));
        socket.join(LIVE);
        const p = socket.data.principal;
        if (p.type === 'user' && (p.user.role === 'admin' || p.user.role === 'manager')) socket.join(STAFF);
        if (p.type === 'device') {
          service.deviceConnected(p.device);
          socket.once('disconnect', () => service.deviceDisconnected(p.device));
        }
      },
      () => socket.disconnect(true),
    );

    /** Runs a command for this socket's principal, re-checking the token so a revocation is never missed. */
    const handle = <I, O>(schema: z.ZodType<I> | null, fn: (p: Principal, input: I) => O, read = false) => {
      return (...args: unknown[]) => {
        const ack = args[args.length - 1];
        if (typeof ack !== 'function') return; // a command without an acknowledgement is ignored
        const reply = ack as (a: Ack<O>) => void;
        try {
          const p = auth.authenticate(socket.data.token, clock());
          if (!p) {
            reply({ error: apiError('UNAUTHENTICATED') });
            socket.disconnect(true);
            return;
          }
          let input = undefined as I;
          if (schema) {
            const r = schema.safeParse(args[0]);
            if (!r.success) return reply({ error: apiError('INVALID_REQUEST') });
            input = r.data;
          }
          // A command runs now and is acknowledged once durable, like the HTTP answers; a read (`read`)
          // runs once everything before it is committed, so it shows no change whose fact is still to come.
          const data = read ? undefined : fn(p, input);
          service.durable().then(
            () => {
              try {
                reply({ data: read ? fn(p, input) : (data as O) });
              } catch (e) {
                reply({ error: e instanceof AppError ? { code: e.code, message: e.message } : apiError('INTERNAL') });
              }
            },
            () => reply({ error: apiError('UNAVAILABLE', '数据未能保存，请重试。') }),
          );
        } catch (e) {
          if (e instanceof AppError) return reply({ error: { code: e.code, message: e.message } });
          deps.log.warn({ err: e }, 'socket command failed');
          reply({ error: apiError('INTERNAL') });
        }
      };
    };

    socket.on(
      'sync:snapshot',
      handle(null, (p) => service.snapshot(audienceOf(p)), true),
    );
    for (const action of ['open', 'close', 'pause', 'resume'] as const)
      socket.on(
        `counter:${action}`,
        handle(CounterCmd, (p, c) => ({ counter: service.counterAction(p, c.counterId, action) })),
      );
    for (const action of ['recall', 'start', 'finish', 'no-show'] as const)
      socket.on(
        `counter:${action}`,
        handle(CounterCmd, (p, c) => ({ ticket: service.counterAction(p, c.counterId, action) })),
      );
    socket.on(
      'counter:call-next',
      handle(CallNextCmd, (p, c) => ({ ticket: service.callNext(p, c.counterId, c.requestId) })),
    );
    socket.on(
      'counter:call-number',
      handle(CallNumberCmd, (p, c) => ({ ticket: service.callNumber(p, c.counterId, c.number, c.requestId) })),
    );
    socket.on(
      'counter:transfer',
      handle(TransferCmd, (p, c) => ({ ticket: service.transfer(p, c.counterId, c.to) })),
    );
    socket.on(
      'ticket:cancel',
      handle(TicketCmd, (p, c) => ({ ticket: service.cancel(p, c.ticketId) })),
    );
    socket.on(
      'ticket:reactivate',
      handle(TicketCmd, (p, c) => ({ ticket: service.reactivate(p, c.ticketId) })),
    );
    socket.on(
      'evaluation:submit',
      handle(EvaluationBody, (p, b) => ({ evaluation: service.evaluate(p, b) })),
    );
  });

  // A person's session also ends by expiring: sweep the sockets now and then, not only on commands.
  const sweep = setInterval(() => {
    const now = clock();
    for (const s of io.sockets.sockets.values()) {
      if (s.data.token && !auth.authenticate(s.data.token, now)) {
        s.emit('session:revoked', apiError('UNAUTHENTICATED', '登录已过期，请重新登录。'));
        s.disconnect(true);
      }
    }
  }, deps.sweepMs ?? 30_000);
  sweep.unref();

  return {
    io,
    revoke({ deviceId, tokenHash }) {
      for (const s of io.sockets.sockets.values()) {
        const p = s.data.principal;
        if (!p) continue;
        const hit =
          (deviceId !== undefined && p.type === 'device' && p.device.id === deviceId) ||
          (tokenHash !== undefined && p.tokenHash === tokenHash);
        if (hit) {
          s.emit('session:revoked', apiError('UNAUTHENTICATED', '该设备或登录已被注销。'));
          s.disconnect(true);
        }
      }
    },
    async close() {
      clearInterval(sweep);
      unsubscribe();
      unsubscribePresence();
      await new Promise<void>((resolve) => io.close(() => resolve()));
    },
  };
}
