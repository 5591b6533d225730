/**
 * The hall simulator against a running server: the same day plan and seed as the in-process run
 * (engine.ts), replayed over the HTTP API v1 on a wall clock scaled by `speed` (1 = real time, 60 = an
 * hour of the plan per minute), as a load test.
 *
 * Setup: the admin logs in, creates a kiosk device and one call-keypad device per staffed counter of the
 * plan. Then one async loop issues the arrivals (POST /tickets, a unique requestId each, not awaited one
 * by one, so a slow server makes the requests pile up rather than the rate drop) and one loop per counter
 * follows its schedule: open, pause/resume, close (with `drain`: at closing it still serves what it may
 * call); an open counter calls next after the clerk's reaction time, an idle one as soon as a ticket is
 * issued or transferred; a called citizen is started after the walk and finished (or transferred) after
 * the service time, or marked a no-show after the grace — all plan durations divided by `speed`.
 *
 * Clocks: the server keeps its own (real time, or YIMEN_FAKE_TIME running at real speed), so its hours,
 * business day and estimates relate to its clock, not the plan's. Waits are measured from the API's own
 * issuedAt/calledAt and scaled back to plan time (× speed); the server's estimate at issue is compared to
 * them only at speed 1. Nothing is disabled on the server: with hours enforced, arrivals outside its
 * issuing hours are refused (and counted). The routing policy is the server's (API v1 cannot set it).
 */
import type { Priority } from '@yimen/shared';
import type { SimCounter, SimResult, SimTicket } from './engine.js';
import type { Arrival, CounterSchedule, ResolvedPlan } from './plan.js';
import { drawArrivals } from './plan.js';
import type { Summary } from './summary.js';
import { percentile, summarize, table } from './summary.js';

export interface LoadOptions {
  plan: ResolvedPlan;
  seed: number;
  /** The server's base address, e.g. http://127.0.0.1:8080. */
  server: string;
  adminPassword: string;
  adminUsername?: string;
  /** Plan seconds per wall second (default 1). */
  speed?: number;
  /** Where to draw the progress bar (a TTY stderr, or forced); absent: none. */
  progress?: { write(s: string): unknown } | undefined;
  /** Stops the run early: every loop ends at its next step. */
  signal?: AbortSignal | undefined;
  /** Wall milliseconds to wait for a called ticket's own issue answer before treating it as foreign. */
  foreignAfterMs?: number;
}

/** One ticket the run issued, as the server reported it. */
export interface LoadTicket {
  id: string;
  number: string;
  /** The API's issuedAt and first calledAt (ISO 8601). */
  issuedAt: string;
  calledAt: string | null;
  out: SimTicket;
}

export interface EndpointStats {
  endpoint: string;
  count: number;
  p50: number;
  p99: number;
  max: number;
}

export interface LoadStats {
  speed: number;
  requests: number;
  /** Non-2xx answers by "status CODE" (network failures: "NETWORK"). */
  errors: Record<string, number>;
  /** HTTP latency per endpoint, milliseconds. */
  endpoints: EndpointStats[];
  wallSeconds: number;
  plannedArrivals: number;
  sentArrivals: number;
  issued: number;
  /** Arrivals per wall second: planned (the plan's span ÷ speed) and achieved (answers received). */
  plannedRate: number;
  achievedRate: number;
  requestRate: number;
  /** How late each arrival's request left against its scaled plan time, milliseconds. */
  arrivalLagP50: number;
  arrivalLagP99: number;
  /** Called tickets this run did not issue (left over on the server), finished at once. */
  foreign: number;
}

export interface LoadRun {
  businessDay: string;
  result: SimResult;
  summary: Summary;
  load: LoadStats;
  tickets: LoadTicket[];
}

interface ApiAnswer {
  status: number;
  // biome-ignore lint/suspicious/noExplicitAny: answers are read field by field
  json: any;
}

/** An HTTP v1 client that records every request's latency and every error (fetch keeps connections alive). */
class Client {
  requests = 0;
  readonly errors: Record<string, number> = {};
  readonly latencies = new Map<string, number[]>();
  constructor(private readonly base: string) {}

  async call(method: string, path: string, token: string | null, body?: unknown): Promise<ApiAnswer> {
    const endpoint = `${method} ${path.replace(/^\/(counters|devices|tickets)\/[^/]+/, '/$1/{id}')}`;
    const headers: Record<string, string> = {};
    if (token) headers.authorization = `Bearer ${token}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    this.requests++;
    const started = performance.now();
    let answer: ApiAnswer;
    try {
      const r = await fetch(`${this.base}/api/v1${path}`, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await r.text();
      let json: unknown = null;
      try {
        json = text ? JSON.parse(text) : null;
      } catch {
        json = null;
      }
      answer = { status: r.status, json };
    } catch {
      answer = { status: 0, json: null };
    }
    let list = this.latencies.get(endpoint);
    if (!list) {
      list = [];
      this.latencies.set(endpoint, list);
    }
    list.push(performance.now() - started);
    if (answer.status < 200 || answer.status > 299) {
      const key = answer.status === 0 ? 'NETWORK' : `${answer.status} ${answer.json?.error?.code ?? 'ERROR'}`;
      this.errors[key] = (this.errors[key] ?? 0) + 1;
    }
    return answer;
  }

  async must(method: string, path: string, token: string | null, body?: unknown): Promise<ApiAnswer> {
    const r = await this.call(method, path, token, body);
    if (r.status < 200 || r.status > 299)
      throw new Error(`${method} /api/v1${path}: ${r.status === 0 ? 'no answer' : r.status} ${r.json?.error?.message ?? ''}`);
    return r;
  }
}

/** Wakes the idle counters; `gen` tells a counter whether something happened during its own call. */
class Wake {
  gen = 0;
  private waiters: (() => void)[] = [];
  fire() {
    this.gen++;
    const w = this.waiters;
    this.waiters = [];
    for (const f of w) f();
  }
  wait(): Promise<void> {
    return new Promise((resolve) => this.waiters.push(resolve));
  }
}

interface TicketRun {
  arrival: Arrival;
  issuedMs: number;
  calledMs: number | null;
  transferred: boolean;
  record: LoadTicket;
}

interface CounterRun extends SimCounter {
  schedule: CounterSchedule;
  token: string;
}

const clockOf = (s: number) => {
  const m = Math.floor(s / 60);
  return `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
};

/** The progress line: `[#####.....] 45% 540/1200 tickets, 3 errors, 10:32`. */
export function progressLine(done: number, total: number, errors: number, planSeconds: number, width = 20): string {
  const share = total > 0 ? Math.min(1, done / total) : 1;
  const filled = Math.floor(share * width);
  return `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${Math.floor(share * 100)}% ${done}/${total} tickets, ${errors} error${errors === 1 ? '' : 's'}, ${clockOf(planSeconds)}`;
}

/** Runs the plan's day against the server. Throws when the setup fails (login, hall, devices). */
export async function runLoad(opts: LoadOptions): Promise<LoadRun> {
  const { plan } = opts;
  const speed = opts.speed ?? 1;
  if (!(speed > 0)) throw new Error(`speed must be > 0, not ${speed}`);
  const api = new Client(opts.server.replace(/\/+$/, ''));
  const signal = opts.signal;
  const foreignAfterMs = opts.foreignAfterMs ?? 2000;

  // ---- setup
  const login = await api.must('POST', '/auth/login', null, {
    username: opts.adminUsername ?? 'admin',
    password: opts.adminPassword,
  });
  const admin = login.json.token as string;
  const hallAnswer = await api.must('GET', '/hall', admin);
  const businessDay = hallAnswer.json.hall.businessDay as string;
  const serverServices = new Set((hallAnswer.json.services as { id: string }[]).map((s) => s.id));
  const serverCounters = new Set((hallAnswer.json.counters as { id: string }[]).map((c) => c.id));
  const arrivals = drawArrivals(plan, opts.seed);
  const missing = [
    ...[...new Set(arrivals.flatMap((a) => [a.serviceId, ...(a.transfer ? [a.transfer.to] : [])]))]
      .filter((id) => !serverServices.has(id))
      .map((id) => `service "${id}"`),
    ...[...plan.schedule.keys()].filter((id) => !serverCounters.has(id)).map((id) => `counter "${id}"`),
  ];
  if (missing.length > 0) throw new Error(`the server's hall is not the plan's: it has no ${missing.join(', ')}`);
  const devices: string[] = [];
  const device = async (kind: string, counterId?: string) => {
    const r = await api.must('POST', '/devices', admin, {
      kind,
      name: `simulate-load ${kind}${counterId ? ` ${counterId}` : ''}`,
      ...(counterId ? { counterId } : {}),
    });
    devices.push(r.json.device.id as string);
    return r.json.token as string;
  };
  const kiosk = await device('kiosk');
  const counters: CounterRun[] = [];
  for (const [id, schedule] of plan.schedule)
    counters.push({ id, schedule, token: await device('call-keypad', id), openSeconds: 0, busySeconds: 0, tickets: 0 });

  // ---- the scaled clock
  const starts = [...(arrivals.length > 0 ? [(arrivals[0] as Arrival).at] : []), ...counters.map((c) => c.schedule.open)];
  const t0 = starts.length > 0 ? Math.min(...starts) : 0;
  const wall0 = performance.now();
  const planNow = () => t0 + ((performance.now() - wall0) / 1000) * speed;
  const stopped = () => signal?.aborted === true;
  /** Sleeps until plan time t (or until `wake` fires, or the run is stopped). */
  const until = (t: number, wake?: Wake): Promise<void> =>
    new Promise((resolve) => {
      if (stopped()) return resolve();
      const done = () => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', done);
        resolve();
      };
      const timer = setTimeout(done, Math.max(0, ((t - planNow()) / speed) * 1000));
      signal?.addEventListener('abort', done, { once: true });
      wake?.wait().then(done);
    });

  // ---- tickets: ours by id; a counter may call one before its issue answer arrives
  const tickets = new Map<string, TicketRun>();
  const registered = new Map<string, (() => void)[]>();
  const ticketOf = async (id: string): Promise<TicketRun | null> => {
    const known = tickets.get(id);
    if (known) return known;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, foreignAfterMs);
      const list = registered.get(id) ?? [];
      list.push(() => {
        clearTimeout(timer);
        resolve();
      });
      registered.set(id, list);
    });
    return tickets.get(id) ?? null;
  };
  const wake = new Wake();
  const refused: Record<string, number> = {};
  const issuedList: LoadTicket[] = [];
  const lags: number[] = [];
  let sent = 0;
  let answered = 0;
  let lastAnswerWall = wall0;
  let foreign = 0;
  const runId = `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;

  // ---- progress
  let timer: ReturnType<typeof setInterval> | null = null;
  const errorCount = () => Object.values(api.errors).reduce((a, b) => a + b, 0);
  const draw = () =>
    opts.progress?.write(`\r${progressLine(answered, arrivals.length, errorCount(), Math.min(planNow(), 86_400 - 1))}`);
  if (opts.progress) {
    timer = setInterval(draw, 100);
    timer.unref();
  }

  const issue = async (a: Arrival, i: number) => {
    const body: { serviceId: string; requestId: string; priority?: Priority } = {
      serviceId: a.serviceId,
      requestId: `sim-${runId}-${i}`,
    };
    if (a.priority !== 'none') body.priority = a.priority;
    const r = await api.call('POST', '/tickets', kiosk, body);
    answered++;
    lastAnswerWall = performance.now();
    if (r.status === 200 || r.status === 201) {
      const t = r.json.ticket;
      const record: LoadTicket = {
        id: t.id,
        number: t.number,
        issuedAt: t.issuedAt,
        calledAt: null,
        out: {
          number: t.number,
          serviceId: t.serviceId,
          priority: t.priority,
          issuedAt: a.at,
          calledAt: null,
          outcome: 'unserved',
          estimateMinutes: speed === 1 ? (t.estimatedWaitMinutes ?? null) : null,
        },
      };
      tickets.set(t.id, { arrival: a, issuedMs: Date.parse(t.issuedAt), calledMs: null, transferred: false, record });
      issuedList.push(record);
      for (const f of registered.get(t.id) ?? []) f();
      registered.delete(t.id);
      wake.fire();
    } else {
      const code = r.status === 0 ? 'NETWORK' : String(r.json?.error?.code ?? r.status);
      refused[code] = (refused[code] ?? 0) + 1;
    }
  };

  const arrivalLoop = async () => {
    const inflight: Promise<void>[] = [];
    for (const [i, a] of arrivals.entries()) {
      await until(a.at);
      if (stopped()) break;
      lags.push(Math.max(0, ((planNow() - a.at) / speed) * 1000));
      sent++;
      inflight.push(issue(a, i));
    }
    await Promise.all(inflight);
  };

  /** One called ticket at counter c: no-show after the grace, or start after the walk and finish/transfer after the service. */
  const serve = async (c: CounterRun, ticket: { id: string; calledAt: string | null }) => {
    const called = planNow();
    c.tickets++;
    const run = await ticketOf(ticket.id);
    const path = `/counters/${encodeURIComponent(c.id)}`;
    if (!run) {
      foreign++;
      await api.call('POST', `${path}/finish`, c.token);
    } else {
      if (run.calledMs === null && !run.transferred && ticket.calledAt) {
        run.calledMs = Date.parse(ticket.calledAt);
        run.record.calledAt = ticket.calledAt;
        run.record.out.calledAt = run.arrival.at + ((run.calledMs - run.issuedMs) / 1000) * speed;
      }
      const a = run.arrival;
      if (a.noShow && !run.transferred) {
        await until(called + plan.noShowGraceSeconds);
        await api.call('POST', `${path}/no-show`, c.token);
        run.record.out.outcome = 'no-show';
      } else {
        const service = run.transferred && a.transfer ? a.transfer.serviceSeconds : a.serviceSeconds;
        await until(called + plan.walkSeconds);
        await api.call('POST', `${path}/start`, c.token);
        await until(called + plan.walkSeconds + service);
        if (a.transfer && !run.transferred) {
          const r = await api.call('POST', `${path}/transfer`, c.token, { serviceId: a.transfer.to });
          if (r.status === 200) {
            run.transferred = true;
            run.record.out.outcome = 'transferred-unserved';
            wake.fire();
          } else {
            await api.call('POST', `${path}/finish`, c.token);
            run.record.out.outcome = 'done';
          }
        } else {
          await api.call('POST', `${path}/finish`, c.token);
          run.record.out.outcome = 'done';
        }
      }
    }
    c.busySeconds += planNow() - called;
  };

  const counterLoop = async (c: CounterRun) => {
    const s = c.schedule;
    const path = `/counters/${encodeURIComponent(c.id)}`;
    await until(s.open);
    if (stopped()) return;
    await api.call('POST', `${path}/open`, c.token);
    let openSince = planNow();
    let react = false;
    for (;;) {
      if (stopped()) break;
      let now = planNow();
      const pause = s.pauses.find((p) => p.from <= now && now < p.to);
      if (pause && now < s.close) {
        c.openSeconds += now - openSince;
        await api.call('POST', `${path}/pause`, c.token);
        await until(Math.min(pause.to, s.close));
        await api.call('POST', `${path}/resume`, c.token);
        openSince = planNow();
        react = false;
        continue;
      }
      const closing = now >= s.close;
      if (closing && !plan.drain) break;
      if (react) {
        react = false;
        await until(now + plan.reactionSeconds);
        continue; // the schedule may have moved meanwhile
      }
      const gen = wake.gen;
      const r = await api.call('POST', `${path}/call-next`, c.token, {});
      if (r.status === 200) {
        await serve(c, r.json.ticket);
        react = true;
      } else if (r.status === 204) {
        if (closing) break;
        if (wake.gen !== gen) continue;
        now = planNow();
        const next = Math.min(s.close, ...s.pauses.filter((p) => p.from > now).map((p) => p.from));
        await until(next, wake);
      } else {
        await until(planNow() + Math.max(plan.reactionSeconds, speed * 0.05));
      }
    }
    c.openSeconds += planNow() - openSince;
    await api.call('POST', `${path}/close`, c.token);
  };

  try {
    await Promise.all([arrivalLoop(), ...counters.map(counterLoop)]);
  } finally {
    if (timer) clearInterval(timer);
  }
  const end = planNow();
  const wallSeconds = (performance.now() - wall0) / 1000;
  if (opts.progress) {
    draw();
    opts.progress.write('\n');
  }
  for (const id of devices) await api.call('DELETE', `/devices/${encodeURIComponent(id)}`, admin);

  const result: SimResult = {
    events: [],
    tickets: issuedList.map((t) => t.out),
    refused,
    counters: counters.map(({ id, openSeconds, busySeconds, tickets: n }) => ({ id, openSeconds, busySeconds, tickets: n })),
    end,
  };
  const span = arrivals.length > 0 ? ((arrivals[arrivals.length - 1] as Arrival).at - t0) / speed : 0;
  const sortedLags = [...lags].sort((a, b) => a - b);
  const answerSpan = (lastAnswerWall - wall0) / 1000;
  const load: LoadStats = {
    speed,
    requests: api.requests,
    errors: { ...api.errors },
    endpoints: [...api.latencies]
      .map(([endpoint, list]) => {
        const sorted = [...list].sort((a, b) => a - b);
        return {
          endpoint,
          count: sorted.length,
          p50: percentile(sorted, 0.5),
          p99: percentile(sorted, 0.99),
          max: sorted[sorted.length - 1] ?? Number.NaN,
        };
      })
      .sort((a, b) => b.count - a.count),
    wallSeconds,
    plannedArrivals: arrivals.length,
    sentArrivals: sent,
    issued: issuedList.length,
    plannedRate: span > 0 ? arrivals.length / span : Number.NaN,
    achievedRate: answerSpan > 0 ? answered / answerSpan : Number.NaN,
    requestRate: wallSeconds > 0 ? api.requests / wallSeconds : Number.NaN,
    arrivalLagP50: percentile(sortedLags, 0.5),
    arrivalLagP99: percentile(sortedLags, 0.99),
    foreign,
  };
  return { businessDay, result, summary: summarize(plan.hall, result), load, tickets: issuedList };
}

const ms = (x: number) => (Number.isNaN(x) ? '–' : x < 10 ? x.toFixed(2) : x.toFixed(0));
const rate = (x: number) => (Number.isNaN(x) ? '–' : x.toFixed(2));

/** The load figures as text. */
export function formatLoad(l: LoadStats): string {
  const errors = Object.entries(l.errors);
  return [
    `Load (speed ×${l.speed}): ${l.requests} requests in ${l.wallSeconds.toFixed(1)} s (${rate(l.requestRate)}/s)`,
    `Arrivals: ${l.sentArrivals}/${l.plannedArrivals} sent, ${l.issued} issued; rate ${rate(l.achievedRate)}/s achieved vs ${rate(l.plannedRate)}/s planned; lag behind the plan p50 ${ms(l.arrivalLagP50)} ms, p99 ${ms(l.arrivalLagP99)} ms`,
    `Errors: ${errors.length > 0 ? errors.map(([k, v]) => `${k} ×${v}`).join(', ') : 'none'}${l.foreign > 0 ? `; ${l.foreign} tickets called that this run did not issue (finished at once)` : ''}`,
    '',
    'HTTP latency (ms)',
    table([
      ['endpoint', 'requests', 'p50', 'p99', 'max'],
      ...l.endpoints.map((e) => [e.endpoint, String(e.count), ms(e.p50), ms(e.p99), ms(e.max)]),
    ]),
  ].join('\n');
}
