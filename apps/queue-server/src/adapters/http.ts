/**
 * HTTP API v1 (../../shared/API.md) on fastify. Every route is one entry of a table with its zod
 * schemas; the same table validates requests and generates the OpenAPI 3.1 document.
 */

import type { Duplex } from 'node:stream';
import type { ErrorBody, ErrorCode, Role } from '@yimen/shared';
import {
  apiError,
  CallNextBody,
  CallNumberBody,
  COUNTER_BOUND_KINDS,
  Counter,
  CreateDeviceBody,
  CreateDeviceResponse,
  CreateUserBody,
  Device,
  DeviceFault,
  DeviceReportBody,
  EmptyBody,
  ERRORS,
  ErrorResponse,
  Evaluation,
  EvaluationBody,
  GuidesResponse,
  HallInfo,
  IdParams,
  IssueTicketBody,
  LoginBody,
  LoginResponse,
  NoticeBody,
  Pairing,
  PairingApproveBody,
  PairingClaimBody,
  PairingClaimResponse,
  PairingRequestBody,
  QueueSummary,
  Service,
  Ticket,
  TransferBody,
  User,
} from '@yimen/shared';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { AppError } from '../app/errors.js';
import type { HallService } from '../app/hall-service.js';
import type { AuthStore, Principal } from './auth.js';
import { dummyPasswordHash, hashPassword, LoginThrottle, newId, publicDevice, publicUser, verifyPassword } from './auth.js';
import { type PairingStore, publicPairing } from './pairing.js';

export const BODY_LIMIT = 64 * 1024;

const DevicePresenceSchema = z.object({
  device: z.object({
    deviceId: z.string(),
    kind: z.string(),
    name: z.string(),
    counterId: z.string().nullable(),
    online: z.boolean(),
    revoked: z.boolean(),
    since: z.string(),
    faults: z.array(DeviceFault),
  }),
});

/** A pairing's id in a path: `pair_` and its random part. */
const PairingParams = z.strictObject({ id: z.string().regex(/^pair_[A-Za-z0-9_-]{8,20}$/) });

type Access = 'public' | 'any' | readonly (Role | 'device')[];

interface Ctx<B, P> {
  body: B;
  params: P;
  principal: Principal;
  request: FastifyRequest;
}

interface RouteDef<B = unknown, P = unknown> {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** OpenAPI style: /api/v1/tickets/{id} */
  path: string;
  summary: string;
  tag: string;
  access: Access;
  body?: z.ZodType<B>;
  params?: z.ZodType<P>;
  responses: Record<number, { description: string; schema?: z.ZodType }>;
  handler: (ctx: Ctx<B, P>) => Promise<{ status: number; body?: unknown }> | { status: number; body?: unknown };
}

const route = <B, P>(def: RouteDef<B, P>) => def as RouteDef;
const errorsOf = (...codes: ErrorCode[]) =>
  Object.fromEntries(
    [...new Set(codes.map((c) => ERRORS[c].status))].map((status) => [
      status,
      {
        description: codes.filter((c) => ERRORS[c].status === status).join(', '),
        schema: ErrorResponse,
      },
    ]),
  );

export interface HttpDeps {
  service: HallService;
  auth: AuthStore;
  clock: () => number;
  /** Called after a device or session is revoked, so open sockets close at once. */
  onRevoked: (what: { deviceId?: string; tokenHash?: string }) => void;
  pairings: PairingStore;
}

export function routes({ service, auth, clock, onRevoked, pairings }: HttpDeps): RouteDef[] {
  const throttle = new LoginThrottle(clock);
  const counterRoute = (action: 'open' | 'close' | 'pause' | 'resume', summary: string) =>
    route({
      method: 'POST',
      path: `/api/v1/counters/{id}/${action}`,
      summary,
      tag: 'counters',
      access: 'any',
      params: IdParams,
      body: EmptyBody,
      responses: {
        200: { description: 'the counter', schema: z.object({ counter: Counter }) },
        ...errorsOf(
          'INVALID_REQUEST',
          'UNAUTHENTICATED',
          'FORBIDDEN',
          'NOT_FOUND',
          'COUNTER_NOT_OPEN',
          'COUNTER_NOT_CLOSED',
          'COUNTER_NOT_PAUSED',
          'COUNTER_BUSY',
          'COUNTER_IN_USE',
          'CLERK_AT_OTHER_COUNTER',
        ),
      },
      handler: ({ principal, params }) => ({
        status: 200,
        body: { counter: service.counterAction(principal, params.id, action) },
      }),
    });
  const ticketAtCounter = (action: 'recall' | 'start' | 'finish' | 'no-show', summary: string) =>
    route({
      method: 'POST',
      path: `/api/v1/counters/{id}/${action}`,
      summary,
      tag: 'counters',
      access: 'any',
      params: IdParams,
      body: EmptyBody,
      responses: {
        200: { description: 'the ticket concerned', schema: z.object({ ticket: Ticket }) },
        ...errorsOf(
          'INVALID_REQUEST',
          'UNAUTHENTICATED',
          'FORBIDDEN',
          'NOT_FOUND',
          'NO_CURRENT_TICKET',
          'TICKET_NOT_CALLED',
          'TICKET_ALREADY_SERVING',
          'COUNTER_NOT_OPEN',
          'COUNTER_IN_USE',
        ),
      },
      handler: ({ principal, params }) => ({
        status: 200,
        body: { ticket: service.counterAction(principal, params.id, action) },
      }),
    });

  return [
    route({
      method: 'GET',
      path: '/api/v1/health',
      summary: 'Liveness',
      tag: 'system',
      access: 'public',
      responses: { 200: { description: 'ok', schema: z.object({ status: z.literal('ok'), version: z.string() }) } },
      handler: () => ({ status: 200, body: { status: 'ok', version: VERSION } }),
    }),
    route({
      method: 'POST',
      path: '/api/v1/auth/login',
      summary: 'Log in with a username and password',
      tag: 'auth',
      access: 'public',
      body: LoginBody,
      responses: {
        200: { description: 'a session token', schema: LoginResponse },
        ...errorsOf('INVALID_REQUEST', 'UNAUTHENTICATED', 'TOO_MANY_REQUESTS'),
      },
      handler: async ({ body }) => {
        const wait = throttle.blockedFor(body.username);
        if (wait > 0) throw new AppError('TOO_MANY_REQUESTS', `登录失败次数过多，请 ${Math.ceil(wait / 60)} 分钟后再试。`);
        const u = auth.userByUsername(body.username);
        const ok = await verifyPassword(body.password, u?.passwordHash ?? (await dummyPasswordHash()));
        if (!u || !ok || u.disabledAt !== null) {
          throttle.failed(body.username);
          throw new AppError('UNAUTHENTICATED', '用户名或密码不正确。');
        }
        throttle.succeeded(body.username);
        return { status: 200, body: { token: auth.createSession(u.id, clock()), user: publicUser(u) } };
      },
    }),
    route({
      method: 'POST',
      path: '/api/v1/auth/logout',
      summary: 'Revoke the session token of this request',
      tag: 'auth',
      access: ['admin', 'manager', 'clerk'],
      body: EmptyBody,
      responses: { 204: { description: 'revoked' }, ...errorsOf('UNAUTHENTICATED', 'FORBIDDEN') },
      handler: ({ principal }) => {
        auth.revokeSession(principal.tokenHash, clock());
        onRevoked({ tokenHash: principal.tokenHash });
        return { status: 204 };
      },
    }),
    route({
      method: 'GET',
      path: '/api/v1/me',
      summary: 'Who this token is',
      tag: 'auth',
      access: 'any',
      responses: {
        200: { description: 'the user or device', schema: z.object({ user: User.nullable(), device: Device.nullable() }) },
        ...errorsOf('UNAUTHENTICATED'),
      },
      handler: ({ principal: p }) => ({
        status: 200,
        body: p.type === 'user' ? { user: publicUser(p.user), device: null } : { user: null, device: publicDevice(p.device) },
      }),
    }),
    route({
      method: 'POST',
      path: '/api/v1/users',
      summary: 'Create a user (admin)',
      tag: 'auth',
      access: ['admin'],
      body: CreateUserBody,
      responses: {
        201: { description: 'created', schema: z.object({ user: User }) },
        ...errorsOf('INVALID_REQUEST', 'UNAUTHENTICATED', 'FORBIDDEN', 'NOT_FOUND', 'USERNAME_TAKEN'),
      },
      handler: async ({ body }) => {
        for (const c of body.counterIds ?? [])
          if (!service.hall.counters.has(c)) throw new AppError('NOT_FOUND', `窗口 ${c} 不存在。`);
        if (auth.userByUsername(body.username)) throw new AppError('USERNAME_TAKEN');
        const passwordHash = await hashPassword(body.password);
        if (auth.userByUsername(body.username)) throw new AppError('USERNAME_TAKEN');
        const user = {
          id: newId('usr'),
          username: body.username,
          name: body.name,
          role: body.role,
          staffNo: body.staffNo ?? null,
          counterIds: [...new Set(body.counterIds ?? [])],
          passwordHash,
        };
        auth.createUser(user, clock());
        return { status: 201, body: { user: publicUser({ ...user, disabledAt: null }) } };
      },
    }),
    route({
      method: 'GET',
      path: '/api/v1/users',
      summary: 'List users (admin, manager)',
      tag: 'auth',
      access: ['admin', 'manager'],
      responses: {
        200: { description: 'users', schema: z.object({ users: z.array(User) }) },
        ...errorsOf('UNAUTHENTICATED', 'FORBIDDEN'),
      },
      handler: () => ({ status: 200, body: { users: auth.users().map(publicUser) } }),
    }),
    route({
      method: 'POST',
      path: '/api/v1/devices',
      summary: 'Pair a device and get its token (admin)',
      tag: 'devices',
      access: ['admin'],
      body: CreateDeviceBody,
      responses: {
        201: { description: 'the device and its token, shown once', schema: CreateDeviceResponse },
        ...errorsOf('INVALID_REQUEST', 'UNAUTHENTICATED', 'FORBIDDEN', 'NOT_FOUND'),
      },
      handler: ({ body }) => {
        if (body.counterId !== undefined && !service.hall.counters.has(body.counterId))
          throw new AppError('NOT_FOUND', `窗口 ${body.counterId} 不存在。`);
        const counterId = body.counterId ?? null;
        const { device, token } = auth.createDevice({ kind: body.kind, name: body.name, counterId }, clock());
        return { status: 201, body: { device: publicDevice(device), token } };
      },
    }),
    route({
      method: 'GET',
      path: '/api/v1/devices',
      summary: 'List devices (admin, manager)',
      tag: 'devices',
      access: ['admin', 'manager'],
      responses: {
        200: { description: 'devices', schema: z.object({ devices: z.array(Device) }) },
        ...errorsOf('UNAUTHENTICATED', 'FORBIDDEN'),
      },
      handler: () => ({ status: 200, body: { devices: auth.devices().map(publicDevice) } }),
    }),
    route({
      method: 'POST',
      path: '/api/v1/devices/me/reports',
      summary: "A device reports a component's fault (a kiosk's printer out of paper…), or null once it works again",
      tag: 'devices',
      access: ['device'],
      body: DeviceReportBody,
      responses: {
        200: { description: "the device's presence with its current faults", schema: DevicePresenceSchema },
        ...errorsOf('INVALID_REQUEST', 'UNAUTHENTICATED', 'FORBIDDEN'),
      },
      handler: ({ body, principal }) => ({ status: 200, body: { device: service.reportDevice(principal, body) } }),
    }),
    route({
      method: 'DELETE',
      path: '/api/v1/devices/{id}',
      summary: 'Revoke a device at once, open connections included (admin)',
      tag: 'devices',
      access: ['admin'],
      params: IdParams,
      responses: { 204: { description: 'revoked' }, ...errorsOf('UNAUTHENTICATED', 'FORBIDDEN', 'NOT_FOUND') },
      handler: ({ params }) => {
        if (!auth.device(params.id)) throw new AppError('NOT_FOUND', '该设备不存在。');
        auth.revokeDevice(params.id, clock());
        onRevoked({ deviceId: params.id });
        const revoked = auth.device(params.id);
        if (revoked) service.deviceRevoked(revoked);
        return { status: 204 };
      },
    }),
    route({
      method: 'POST',
      path: '/api/v1/pairings',
      summary: 'A screen without a token asks to be paired: it shows the code, an admin or manager approves it',
      tag: 'devices',
      access: 'public',
      body: PairingRequestBody,
      responses: {
        201: {
          description: 'the pairing and its secret (the screen keeps it to claim its token)',
          schema: z.object({ pairing: Pairing, secret: z.string() }),
        },
        ...errorsOf('INVALID_REQUEST', 'NOT_FOUND', 'TOO_MANY_REQUESTS'),
      },
      handler: ({ body }) => {
        const b = body as z.infer<typeof PairingRequestBody>;
        let counterId: string | null = null;
        if (b.counterNumber !== undefined) {
          const c = service.hall.config.counters.find((x) => x.number === b.counterNumber);
          if (!c) throw new AppError('NOT_FOUND', `没有 ${b.counterNumber} 号窗口。`);
          counterId = c.id;
        }
        if (COUNTER_BOUND_KINDS.includes(b.kind) && counterId === null)
          throw new AppError('INVALID_REQUEST', '这种设备需要窗口号（counterNumber）。');
        const opened = pairings.open(
          b.kind,
          counterId,
          b.name ?? `${b.kind}${b.counterNumber ? ` ${b.counterNumber}号窗口` : ''}`,
        );
        if (!opened) throw new AppError('TOO_MANY_REQUESTS', '待配对的设备过多，请先处理已有的配对请求。');
        return { status: 201, body: { pairing: publicPairing(opened.pairing), secret: opened.secret } };
      },
    }),
    route({
      method: 'POST',
      path: '/api/v1/pairings/{id}/claim',
      summary: 'The screen polls its pairing with its secret; once approved it receives its device token, once',
      tag: 'devices',
      access: 'public',
      params: PairingParams,
      body: PairingClaimBody,
      responses: {
        200: { description: 'pending, or approved with the token', schema: PairingClaimResponse },
        ...errorsOf('INVALID_REQUEST', 'NOT_FOUND'),
      },
      handler: ({ params, body }) => {
        const r = pairings.claim((params as { id: string }).id, (body as { secret: string }).secret);
        if (r === undefined) throw new AppError('NOT_FOUND', '配对请求不存在、已过期或已被拒绝，请重新配对。');
        return { status: 200, body: r === 'pending' ? { status: 'pending' } : { status: 'approved', ...r } };
      },
    }),
    route({
      method: 'GET',
      path: '/api/v1/pairings',
      summary: 'Pending pairings (admin, manager)',
      tag: 'devices',
      access: ['admin', 'manager'],
      responses: {
        200: { description: 'pending pairings, oldest first', schema: z.object({ pairings: z.array(Pairing) }) },
        ...errorsOf('UNAUTHENTICATED', 'FORBIDDEN'),
      },
      handler: () => ({ status: 200, body: { pairings: pairings.pending().map(publicPairing) } }),
    }),
    route({
      method: 'POST',
      path: '/api/v1/pairings/{id}/approve',
      summary: 'Approve a pending pairing: the device is created and its screen receives the token (admin, manager)',
      tag: 'devices',
      access: ['admin', 'manager'],
      params: PairingParams,
      body: PairingApproveBody,
      responses: {
        200: { description: 'the new device', schema: z.object({ device: Device }) },
        ...errorsOf('INVALID_REQUEST', 'UNAUTHENTICATED', 'FORBIDDEN', 'NOT_FOUND'),
      },
      handler: ({ params, body }) => {
        const p = pairings.get((params as { id: string }).id);
        if (!p || p.approved !== null) throw new AppError('NOT_FOUND', '配对请求不存在或已过期。');
        const name = (body as { name?: string }).name ?? p.name;
        const { device, token } = auth.createDevice({ kind: p.kind, name, counterId: p.counterId }, clock());
        pairings.approve(p.id, { deviceId: device.id, token });
        return { status: 200, body: { device: publicDevice(device) } };
      },
    }),
    route({
      method: 'DELETE',
      path: '/api/v1/pairings/{id}',
      summary: 'Reject a pending pairing (admin, manager)',
      tag: 'devices',
      access: ['admin', 'manager'],
      params: PairingParams,
      responses: { 204: { description: 'rejected' }, ...errorsOf('UNAUTHENTICATED', 'FORBIDDEN', 'NOT_FOUND') },
      handler: ({ params }) => {
        if (!pairings.reject((params as { id: string }).id)) throw new AppError('NOT_FOUND', '配对请求不存在或已过期。');
        return { status: 204 };
      },
    }),
    route({
      method: 'GET',
      path: '/api/v1/hall',
      summary: 'The hall: its services and counters',
      tag: 'hall',
      access: 'any',
      responses: {
        200: {
          description: 'the hall',
          schema: z.object({
            hall: HallInfo,
            services: z.array(Service),
            counters: z.array(Counter),
          }),
        },
        ...errorsOf('UNAUTHENTICATED'),
      },
      handler: () => {
        service.tick();
        return { status: 200, body: { hall: service.hallInfo(), services: service.services(), counters: service.counters() } };
      },
    }),
    route({
      method: 'GET',
      path: '/api/v1/guides',
      summary: "The hall's categories and every service's guide (办事指南)",
      tag: 'hall',
      access: 'any',
      responses: {
        200: { description: 'categories and guides', schema: GuidesResponse },
        ...errorsOf('UNAUTHENTICATED'),
      },
      handler: () => ({ status: 200, body: service.guides() }),
    }),
    route({
      method: 'PUT',
      path: '/api/v1/hall/notice',
      summary: 'Set the scrolling notice line of the hall screen (manager, admin)',
      tag: 'hall',
      access: ['admin', 'manager'],
      body: NoticeBody,
      responses: {
        200: { description: 'the notice', schema: NoticeBody },
        ...errorsOf('INVALID_REQUEST', 'UNAUTHENTICATED', 'FORBIDDEN'),
      },
      handler: ({ body }) => ({ status: 200, body: { notice: service.setNotice(body.notice) } }),
    }),
    route({
      method: 'GET',
      path: '/api/v1/queues',
      summary: 'Every service’s queue: waiting, oldest wait, estimated wait',
      tag: 'hall',
      access: 'any',
      responses: {
        200: { description: 'queues', schema: z.object({ queues: z.array(QueueSummary) }) },
        ...errorsOf('UNAUTHENTICATED'),
      },
      handler: () => ({ status: 200, body: { queues: service.queues() } }),
    }),
    route({
      method: 'POST',
      path: '/api/v1/tickets',
      summary: 'Issue a ticket (kiosk, clerk, manager, admin); idempotent per requestId',
      tag: 'tickets',
      access: ['admin', 'manager', 'clerk', 'device'],
      body: IssueTicketBody,
      responses: {
        201: { description: 'issued', schema: z.object({ ticket: Ticket }) },
        200: { description: 'the ticket this requestId issued before', schema: z.object({ ticket: Ticket }) },
        ...errorsOf(
          'INVALID_REQUEST',
          'UNAUTHENTICATED',
          'FORBIDDEN',
          'NOT_FOUND',
          'REQUEST_ID_REUSED',
          'SERVICE_CLOSED',
          'OUTSIDE_HOURS',
          'DAILY_CAP_REACHED',
          'PERSON_LIMIT_REACHED',
          'INVALID_ID_NUMBER',
        ),
      },
      handler: ({ principal, body }) => {
        const r = service.issue(principal, body as z.infer<typeof IssueTicketBody>);
        return { status: r.created ? 201 : 200, body: { ticket: r.ticket } };
      },
    }),
    route({
      method: 'GET',
      path: '/api/v1/tickets/{id}',
      summary: 'A ticket, with people ahead and estimated wait while it waits',
      tag: 'tickets',
      access: 'any',
      params: IdParams,
      responses: {
        200: { description: 'the ticket', schema: z.object({ ticket: Ticket }) },
        ...errorsOf('UNAUTHENTICATED', 'NOT_FOUND'),
      },
      handler: ({ params }) => ({ status: 200, body: { ticket: service.getTicket(params.id) } }),
    }),
    route({
      method: 'POST',
      path: '/api/v1/tickets/{id}/cancel',
      summary: 'Cancel a waiting or called ticket (clerk, manager)',
      tag: 'tickets',
      access: ['admin', 'manager', 'clerk'],
      params: IdParams,
      body: EmptyBody,
      responses: {
        200: { description: 'the ticket', schema: z.object({ ticket: Ticket }) },
        ...errorsOf('UNAUTHENTICATED', 'FORBIDDEN', 'NOT_FOUND', 'TICKET_CLOSED', 'TICKET_ALREADY_SERVING'),
      },
      handler: ({ principal, params }) => ({ status: 200, body: { ticket: service.cancel(principal, params.id) } }),
    }),
    route({
      method: 'POST',
      path: '/api/v1/tickets/{id}/reactivate',
      summary: 'A no-show waits again, by the hall’s rule for late comers (clerk, manager)',
      tag: 'tickets',
      access: ['admin', 'manager', 'clerk'],
      params: IdParams,
      body: EmptyBody,
      responses: {
        200: { description: 'the ticket', schema: z.object({ ticket: Ticket }) },
        ...errorsOf('UNAUTHENTICATED', 'FORBIDDEN', 'NOT_FOUND', 'TICKET_NOT_NO_SHOW', 'TICKET_EXPIRED'),
      },
      handler: ({ principal, params }) => ({ status: 200, body: { ticket: service.reactivate(principal, params.id) } }),
    }),
    counterRoute('open', 'A clerk takes the counter: closed → open'),
    counterRoute('close', 'End of work: → closed, only when it holds no ticket'),
    counterRoute('pause', 'open → paused'),
    counterRoute('resume', 'paused → open'),
    route({
      method: 'POST',
      path: '/api/v1/counters/{id}/call-next',
      summary: 'Call the next ticket (finishes the one held first); 204 when nobody waits',
      tag: 'counters',
      access: 'any',
      params: IdParams,
      body: CallNextBody,
      responses: {
        200: { description: 'the ticket now called', schema: z.object({ ticket: Ticket }) },
        204: { description: 'no ticket this counter serves is waiting' },
        ...errorsOf(
          'INVALID_REQUEST',
          'UNAUTHENTICATED',
          'FORBIDDEN',
          'NOT_FOUND',
          'COUNTER_NOT_OPEN',
          'COUNTER_IN_USE',
          'REQUEST_ID_REUSED',
        ),
      },
      handler: ({ principal, params, body }) => {
        const t = service.callNext(principal, params.id, (body as z.infer<typeof CallNextBody>).requestId);
        return t === null ? { status: 204 } : { status: 200, body: { ticket: t } };
      },
    }),
    route({
      method: 'POST',
      path: '/api/v1/counters/{id}/call-number',
      summary: 'Call one waiting ticket by its number (A023), or its digits as a keypad types them (23)',
      tag: 'counters',
      access: 'any',
      params: IdParams,
      body: CallNumberBody,
      responses: {
        200: { description: 'the ticket now called', schema: z.object({ ticket: Ticket }) },
        ...errorsOf(
          'INVALID_REQUEST',
          'UNAUTHENTICATED',
          'FORBIDDEN',
          'NOT_FOUND',
          'COUNTER_NOT_OPEN',
          'COUNTER_IN_USE',
          'TICKET_NOT_WAITING',
          'TICKET_NOT_FOR_COUNTER',
          'NUMBER_AMBIGUOUS',
          'REQUEST_ID_REUSED',
        ),
      },
      handler: ({ principal, params, body }) => {
        const b = body as z.infer<typeof CallNumberBody>;
        return { status: 200, body: { ticket: service.callNumber(principal, params.id, b.number, b.requestId) } };
      },
    }),
    ticketAtCounter('recall', 'Announce the current ticket again'),
    ticketAtCounter('start', 'The citizen has arrived: serving'),
    ticketAtCounter('finish', 'called or serving → done'),
    ticketAtCounter('no-show', 'called → no_show'),
    route({
      method: 'POST',
      path: '/api/v1/counters/{id}/transfer',
      summary: 'The current ticket waits again for another service or one counter, keeping its place',
      tag: 'counters',
      access: 'any',
      params: IdParams,
      body: TransferBody,
      responses: {
        200: { description: 'the ticket', schema: z.object({ ticket: Ticket }) },
        ...errorsOf(
          'INVALID_REQUEST',
          'UNAUTHENTICATED',
          'FORBIDDEN',
          'NOT_FOUND',
          'NO_CURRENT_TICKET',
          'TICKET_NOT_CALLED',
          'TICKET_EXPIRED',
          'COUNTER_NOT_OPEN',
          'COUNTER_IN_USE',
          'TRANSFER_TO_SELF',
        ),
      },
      handler: ({ principal, params, body }) => ({
        status: 200,
        body: { ticket: service.transfer(principal, params.id, body as z.infer<typeof TransferBody>) },
      }),
    }),
    route({
      method: 'POST',
      path: '/api/v1/evaluations',
      summary: 'Rate a finished service (the counter’s evaluation pad, or its clerk)',
      tag: 'evaluations',
      access: ['clerk', 'device', 'manager', 'admin'],
      body: EvaluationBody,
      responses: {
        201: { description: 'stored', schema: z.object({ evaluation: Evaluation }) },
        ...errorsOf(
          'INVALID_REQUEST',
          'UNAUTHENTICATED',
          'FORBIDDEN',
          'NOT_FOUND',
          'TICKET_NOT_DONE',
          'ALREADY_EVALUATED',
          'REASON_REQUIRED',
        ),
      },
      handler: ({ principal, body }) => ({
        status: 201,
        body: { evaluation: service.evaluate(principal, body as z.infer<typeof EvaluationBody>) },
      }),
    }),
  ];
}

export const VERSION = '0.1.0';

function sendError(reply: FastifyReply, code: ErrorCode, message?: string) {
  const body: ErrorBody = { error: apiError(code, message) };
  return reply.code(ERRORS[code].status).type('application/json; charset=utf-8').send(body);
}

/**
 * Fastify's own refusals before a route is found — a malformed address (bad %-encoding) or a path parameter
 * longer than the router takes — in the contract's error shape. Pass as `frameworkErrors` in Fastify's options.
 */
export function frameworkErrors(err: { code?: string }, _req: FastifyRequest, reply: FastifyReply) {
  if (err.code === 'FST_ERR_MAX_PARAM_LENGTH') return sendError(reply, 'NOT_FOUND');
  if (err.code === 'FST_ERR_BAD_URL') return sendError(reply, 'INVALID_REQUEST', '请求地址的编码不正确。');
  return sendError(reply, 'INVALID_REQUEST');
}

/**
 * A request that is not even HTTP (broken framing, headers too large): answered on the socket in the
 * contract's error shape, then closed. Pass as `clientErrorHandler` in Fastify's options.
 */
export function clientErrorHandler(err: { code?: string }, socket: Duplex) {
  if (err.code === 'ECONNRESET' || socket.destroyed) return;
  const [status, reason, code, message] =
    err.code === 'HPE_HEADER_OVERFLOW'
      ? [431, 'Request Header Fields Too Large', 'INVALID_REQUEST', '请求头过大。']
      : err.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? [408, 'Request Timeout', 'INVALID_REQUEST', '请求超时。']
        : [400, 'Bad Request', 'INVALID_REQUEST', ERRORS.INVALID_REQUEST.message];
  const body = JSON.stringify({ error: { code, message } });
  if (socket.writable)
    socket.write(
      `HTTP/1.1 ${status} ${reason}\r\nContent-Length: ${Buffer.byteLength(body)}\r\nContent-Type: application/json; charset=utf-8\r\nConnection: close\r\n\r\n${body}`,
    );
  socket.destroy();
}

function zodMessage(e: z.ZodError): string {
  const i = e.issues[0];
  if (!i) return ERRORS.INVALID_REQUEST.message;
  const where = i.path.length > 0 ? `字段 ${i.path.join('.')}` : '请求体';
  const what =
    i.code === 'unrecognized_keys'
      ? `含有未知字段 ${(i as { keys: string[] }).keys.join(', ')}`
      : i.code === 'invalid_type'
        ? '类型不正确或缺失'
        : '取值不正确';
  return `请求格式不正确：${where}${what}（${i.message}）。`;
}

const toFastifyPath = (p: string) => p.replace(/\{(\w+)\}/g, ':$1');

export function registerApi(app: FastifyInstance, deps: HttpDeps): RouteDef[] {
  const table = routes(deps);

  // JSON only; an empty body reads as {} so body-less POSTs need no body.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('application/json', { parseAs: 'string', bodyLimit: BODY_LIMIT }, (_req, text, done) => {
    const s = (typeof text === 'string' ? text : text.toString('utf8')).replace(/^\uFEFF/, '');
    if (s.trim() === '') return done(null, {});
    try {
      done(null, JSON.parse(s));
    } catch {
      done(new AppError('INVALID_REQUEST', '请求体不是合法的 JSON。'), undefined);
    }
  });
  app.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: BODY_LIMIT }, (_req, buf, done) => {
    if ((buf as Buffer).length === 0) return done(null, {});
    done(new AppError('UNSUPPORTED_MEDIA_TYPE'), undefined);
  });

  app.setErrorHandler((err: unknown, req, reply) => {
    if (err instanceof AppError) return sendError(reply, err.code, err.message);
    const e = err as { statusCode?: number; code?: string; message?: string };
    if (e.statusCode === 413 || e.code === 'FST_ERR_CTP_BODY_TOO_LARGE') return sendError(reply, 'PAYLOAD_TOO_LARGE');
    if (e.statusCode === 415) return sendError(reply, 'UNSUPPORTED_MEDIA_TYPE');
    if (e.statusCode !== undefined && e.statusCode >= 400 && e.statusCode < 500) return sendError(reply, 'INVALID_REQUEST');
    req.log.error({ err }, 'unhandled error');
    return sendError(reply, 'INTERNAL');
  });

  for (const def of table) {
    app.route({
      method: def.method,
      url: toFastifyPath(def.path),
      handler: async (request, reply) => {
        let principal: Principal | null = null;
        if (def.access !== 'public') {
          const header = request.headers.authorization;
          const m = typeof header === 'string' ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;
          principal = m ? deps.auth.authenticate(m[1] as string, deps.clock()) : null;
          if (!principal) return sendError(reply, 'UNAUTHENTICATED');
          if (def.access !== 'any') {
            const who = principal.type === 'device' ? 'device' : principal.user.role;
            if (!def.access.includes(who)) return sendError(reply, 'FORBIDDEN');
          }
        }
        let params: unknown = {};
        if (def.params) {
          const r = def.params.safeParse(request.params);
          if (!r.success) return sendError(reply, 'NOT_FOUND');
          params = r.data;
        }
        let body: unknown;
        if (def.body) {
          const r = def.body.safeParse(request.body ?? {});
          if (!r.success) return sendError(reply, 'INVALID_REQUEST', zodMessage(r.error));
          body = r.data;
        }
        const out = await def.handler({ body, params, principal: principal as Principal, request });
        // Nothing is answered before it is durable (group commit: one fsync for the turn's commands).
        try {
          await deps.service.durable();
        } catch {
          throw new AppError('UNAVAILABLE', '数据未能保存，请重试。');
        }
        if (out.body === undefined) return reply.code(out.status).send();
        return reply.code(out.status).type('application/json; charset=utf-8').send(out.body);
      },
    });
  }

  const doc = openApiDocument(table);
  app.get('/api/v1/openapi.json', async (_req, reply) => reply.type('application/json; charset=utf-8').send(doc));
  return table;
}

/** The answers every route of its kind may give besides its own: bad bodies, bodies too large or not JSON, bad tokens. */
function withGenericErrors(def: RouteDef): RouteDef['responses'] {
  const codes: ErrorCode[] = [];
  if (def.body) codes.push('INVALID_REQUEST');
  if (def.method !== 'GET') codes.push('PAYLOAD_TOO_LARGE', 'UNSUPPORTED_MEDIA_TYPE');
  if (def.access !== 'public') codes.push('UNAUTHENTICATED');
  if (def.params) codes.push('NOT_FOUND');
  const all: RouteDef['responses'] = { ...errorsOf(...codes), ...def.responses };
  return Object.fromEntries(Object.entries(all).sort(([a], [b]) => Number(a) - Number(b))) as RouteDef['responses'];
}

export function openApiDocument(table: RouteDef[]) {
  const json = (s: z.ZodType, io: 'input' | 'output') => {
    const { $schema: _drop, ...rest } = z.toJSONSchema(s, { target: 'draft-2020-12', io, unrepresentable: 'any' }) as Record<
      string,
      unknown
    >;
    return rest;
  };
  const paths: Record<string, Record<string, unknown>> = {};
  for (const def of table) {
    const op: Record<string, unknown> = {
      summary: def.summary,
      tags: [def.tag],
      operationId: `${def.method.toLowerCase()}${def.path
        .replace('/api/v1', '')
        .replace(/[{}]/g, '')
        .replace(/[/-](\w)/g, (_m, c: string) => c.toUpperCase())}`,
      responses: Object.fromEntries(
        Object.entries(withGenericErrors(def)).map(([status, r]) => [
          status,
          r.schema
            ? { description: r.description, content: { 'application/json': { schema: json(r.schema, 'output') } } }
            : { description: r.description },
        ]),
      ),
    };
    if (def.access !== 'public') op.security = [{ bearer: [] }];
    const params = [...def.path.matchAll(/\{(\w+)\}/g)].map((m) => ({
      name: m[1],
      in: 'path',
      required: true,
      schema: { type: 'string' },
    }));
    if (params.length > 0) op.parameters = params;
    if (def.body) op.requestBody = { required: true, content: { 'application/json': { schema: json(def.body, 'input') } } };
    paths[def.path] ??= {};
    (paths[def.path] as Record<string, unknown>)[def.method.toLowerCase()] = op;
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Yimen 一门 — integration API',
      version: VERSION,
      description:
        'The integration API of a Yimen government service hall. Errors are {"error": {"code", "message"}}; codes are stable, messages are zh-CN.',
    },
    servers: [{ url: '/' }],
    components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
    paths,
  };
}
