/**
 * The composition root: the clock, the database file, the hall configuration and the logger come in;
 * a running queue server (HTTP API v1, socket.io, pages) comes out. Tests start it on port 0.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Clock, HallConfig } from '@yimen/shared';
import Fastify, { type FastifyInstance, LogController } from 'fastify';
import { AuthStore, hashPassword, newId } from './adapters/auth.js';
import { HallStore, openDb } from './adapters/db.js';
import { registerDemoPrinter } from './adapters/demo-printer.js';
import { GroupCommit } from './adapters/group-commit.js';
import { BODY_LIMIT, clientErrorHandler, frameworkErrors, registerApi } from './adapters/http.js';
import { registerPages } from './adapters/pages.js';
import { PairingStore } from './adapters/pairing.js';
import { attachRealtime, type Realtime } from './adapters/realtime.js';
import { registerScreens } from './adapters/screens.js';
import { HallService } from './app/hall-service.js';
import { buildHall } from './domain/model.js';

export interface AppOptions {
  /** Path of the SQLite file (its folder is created). */
  dbFile: string;
  hallConfig: HallConfig;
  clock?: Clock;
  /** The admin's password on first start; generated (and reported once) when absent. */
  adminPassword?: string;
  /** false: issuing hours and open days are not enforced (demo mode). */
  enforceHours?: boolean;
  /** The built screens (default: apps/counter-display/dist). */
  screensDir?: string;
  /** The built kiosk renderer (default: apps/kiosk/dist/renderer). */
  kioskDir?: string;
  /** Demo mode: the folder where the demo kiosk's virtual printer writes its PNGs, served at /demo/printer/. */
  demoPrinterDir?: string;
  /** How often open sockets are re-checked for expired sessions, ms (default 30 s). */
  sessionSweepMs?: number;
  /** pino logger options, or false for none. */
  logger?: boolean | object;
}

export interface App {
  fastify: FastifyInstance;
  service: HallService;
  realtime: Realtime;
  commits: GroupCommit;
  /** Set when the server created the admin with a generated password: shown once. */
  generatedAdminPassword: string | null;
  listen(port: number, host?: string): Promise<string>;
  close(): Promise<void>;
}

export async function createApp(opts: AppOptions): Promise<App> {
  const clock = opts.clock ?? Date.now;
  mkdirSync(dirname(opts.dbFile), { recursive: true });
  const db = openDb(opts.dbFile);
  const store = new HallStore(db);
  const auth = new AuthStore(db);
  const hall = buildHall(opts.hallConfig, { enforceHours: opts.enforceHours ?? true });

  // First start: the admin; then the users the configuration names (created once, never overwritten).
  let generatedAdminPassword: string | null = null;
  if (!auth.hasAdmin()) {
    if (!opts.adminPassword) generatedAdminPassword = randomBytes(9).toString('base64url');
    const password = opts.adminPassword || (generatedAdminPassword as string);
    const existing = auth.userByUsername('admin');
    if (!existing)
      auth.createUser(
        {
          id: newId('usr'),
          username: 'admin',
          name: '系统管理员',
          role: 'admin',
          staffNo: null,
          counterIds: [],
          passwordHash: await hashPassword(password),
        },
        clock(),
      );
  }
  for (const u of opts.hallConfig.users) {
    if (!u.password || auth.userByUsername(u.username)) continue;
    auth.createUser(
      {
        id: newId('usr'),
        username: u.username,
        name: u.name,
        role: u.role,
        staffNo: u.staffNo ?? null,
        counterIds: u.counterIds,
        passwordHash: await hashPassword(u.password),
      },
      clock(),
    );
  }

  let onCommitFailure = (_e: Error) => {};
  const commits = new GroupCommit(db, (e) => onCommitFailure(e));
  const service = new HallService(hall, store, auth, clock, commits);
  const fastify = Fastify({
    bodyLimit: BODY_LIMIT,
    logger:
      opts.logger === false || opts.logger === undefined
        ? false
        : {
            ...(typeof opts.logger === 'object' ? opts.logger : {}),
            redact: ['req.headers.authorization', 'req.headers.cookie'],
          },
    // Requests are not logged one by one: their addresses hold status-page keys and ids.
    logController: new LogController({ disableRequestLogging: true }),
    routerOptions: { maxParamLength: 200 },
    // On close, keep-alive connections are cut too: a screen polling every few seconds would otherwise
    // keep its connection busy and the server from ever stopping.
    forceCloseConnections: true,
    // Requests refused before any route runs still get the contract's error body.
    frameworkErrors,
    clientErrorHandler,
  });
  onCommitFailure = (e) => {
    fastify.log.error({ err: e }, 'a commit failed: the state is rebuilt from the database');
    service.reset();
  };
  // socket.io attaches to the same HTTP server; it answers its own path before fastify sees it.
  const realtime = attachRealtime(fastify.server, {
    service,
    auth,
    clock,
    log: { warn: (o, m) => fastify.log.warn(o, m) },
    sweepMs: opts.sessionSweepMs,
  });
  registerApi(fastify, { service, auth, clock, onRevoked: (w) => realtime.revoke(w), pairings: new PairingStore(clock) });
  registerPages(fastify, service);
  await registerScreens(fastify, opts.screensDir, opts.kioskDir);
  if (opts.demoPrinterDir) registerDemoPrinter(fastify, opts.demoPrinterDir);
  fastify.setNotFoundHandler((req, reply) =>
    reply
      .code(404)
      .type('application/json; charset=utf-8')
      .send({ error: { code: 'NOT_FOUND', message: `没有这个地址：${req.method} ${req.url.split('?')[0]}` } }),
  );

  // The business day also turns over with nobody acting, so screens see the new day (N4).
  const dayTimer = setInterval(() => service.tick(), 15_000);
  dayTimer.unref();

  let closed = false;
  return {
    fastify,
    service,
    realtime,
    commits,
    generatedAdminPassword,
    async listen(port, host = '127.0.0.1') {
      await fastify.listen({ port, host });
      const a = fastify.server.address();
      const p = typeof a === 'object' && a ? a.port : port;
      return `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${p}`;
    },
    async close() {
      if (closed) return;
      closed = true;
      clearInterval(dayTimer);
      await realtime.close();
      await fastify.close();
      commits.flush();
      db.close();
    },
  };
}
