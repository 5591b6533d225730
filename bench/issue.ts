/**
 * Benchmark 1 — issuing tickets over HTTP. 20 kiosk devices (one keep-alive connection each) loop on
 * POST /api/v1/tickets with unique requestIds against the server in its own thread. Baseline: the bare
 * better-sqlite3 transaction of the same rows (ticket + event + request key) in the same schema, WAL,
 * synchronous=FULL, one transaction after the other. The two run in alternating blocks (bare, HTTP, bare,
 * HTTP, …) so that other work on the machine weighs on both alike.
 */
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { type Db, openDb } from '../apps/queue-server/dist/adapters/db.js';
import { ADMIN_PASSWORD, createDevices, ISSUE_SERVICES, login } from './lib/hall.js';
import { HttpClient } from './lib/http.js';
import type { BenchOutput } from './lib/report.js';
import type { Scope } from './lib/scope.js';
import { ms, perSecond, rate, ratio, round, rounded, type Summary, summarize } from './lib/stats.js';
import { ThreadServer } from './lib/thread.js';
import type { YimenThreadStats } from './servers/yimen-thread.js';

export interface IssueOptions {
  /** Tickets in the measured concurrent run (and bare transactions in the baseline). */
  tickets: number;
  /** The measured run is cut in this many blocks, each after a block of the baseline. */
  blocks: number;
  /** Concurrent kiosk devices. */
  clients: number;
  /** Tickets issued first and not measured (JIT, caches, SQLite pages); as many bare transactions too. */
  warmup: number;
  /** Tickets issued by one device alone, one after the other: latency without queueing behind other clients. */
  sequential: number;
}

const BENCH = '1 issue (HTTP)';
const TARGET_P99_DIFF_MS = 2;
const TARGET_PER_SECOND = 1_000;

// ---------------------------------------------------------------- the baseline: bare SQLite

type TicketRow = Record<string, string | number | null>;

/** The server's schema (openDb: WAL, synchronous=FULL) and three plain INSERTs in one transaction. */
class BareStore {
  private readonly db: Db;
  private readonly tx: (t: TicketRow, requestId: string) => void;
  private readonly deviceId = `dev_${randomBytes(9).toString('base64url')}`;
  private n = 0;

  constructor(file: string) {
    this.db = openDb(file);
    const insertTicket = this.db.prepare(`
      INSERT INTO tickets (id, status_key, number, prefix, sequence, service_id, issued_service_id, status, priority,
        business_day, issued_at, called_at, started_at, finished_at, counter_id, target_counter_id, clerk_id,
        recall_count, transfer_count, rank_at, rank_tie, person_key)
      VALUES (@id, @status_key, @number, @prefix, @sequence, @service_id, @issued_service_id, @status, @priority,
        @business_day, @issued_at, @called_at, @started_at, @finished_at, @counter_id, @target_counter_id, @clerk_id,
        @recall_count, @transfer_count, @rank_at, @rank_tie, @person_key)`);
    const insertEvent = this.db.prepare(`
      INSERT INTO events (at, business_day, type, ticket_id, counter_id, actor_kind, actor_id, device_id, before, after)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
    const insertKey = this.db.prepare(`
      INSERT INTO request_keys (caller_id, business_day, scope, request_id, fingerprint, ticket_id)
      VALUES (?, ?, ?, ?, ?, ?)`);
    const dev = this.deviceId;
    this.tx = this.db.transaction((t: TicketRow, requestId: string) => {
      insertTicket.run(t);
      insertEvent.run(t.issued_at, t.business_day, 'ticket:issued', t.id, null, 'device', dev, dev, null, JSON.stringify(t));
      insertKey.run(dev, t.business_day, 'issue', requestId, `${t.service_id}|none|`, t.id);
    });
  }

  /** `count` transactions one after the other; the milliseconds of each. */
  run(count: number): number[] {
    const latencies: number[] = [];
    for (let k = 0; k < count; k++) {
      const i = this.n++;
      const now = Date.now();
      const serviceId = ISSUE_SERVICES[i % ISSUE_SERVICES.length] as string;
      const row: TicketRow = {
        id: `tk_${randomBytes(9).toString('base64url')}`,
        status_key: randomBytes(24).toString('base64url'),
        number: `A${String(i + 1).padStart(3, '0')}`,
        prefix: 'A',
        sequence: i + 1,
        service_id: serviceId,
        issued_service_id: serviceId,
        status: 'waiting',
        priority: 'none',
        business_day: '2026-11-30',
        issued_at: now,
        called_at: null,
        started_at: null,
        finished_at: null,
        counter_id: null,
        target_counter_id: null,
        clerk_id: null,
        recall_count: 0,
        transfer_count: 0,
        rank_at: now,
        rank_tie: i + 1,
        person_key: null,
      };
      const t0 = performance.now();
      this.tx(row, `bare-${i}`);
      latencies.push(performance.now() - t0);
    }
    return latencies;
  }

  close(): void {
    this.db.close();
  }
}

// ---------------------------------------------------------------- the server: HTTP load

interface Load {
  latencies: number[];
  wallMs: number;
}

/** `count` tickets issued by the clients together, each looping until the count is reached. */
async function load(clients: HttpClient[], tokens: string[], count: number, tag: string): Promise<Load> {
  let next = 0;
  const latencies: number[] = [];
  const start = performance.now();
  await Promise.all(
    clients.map(async (client, c) => {
      while (next < count) {
        const n = next++;
        const r = await client.request('POST', '/api/v1/tickets', tokens[c], {
          serviceId: ISSUE_SERVICES[n % ISSUE_SERVICES.length],
          requestId: `${tag}-${n}`,
        });
        if (r.status !== 201) throw new Error(`issue ${tag}-${n}: ${r.status} ${r.text.slice(0, 300)}`);
        latencies.push(r.ms);
      }
    }),
  );
  return { latencies, wallMs: performance.now() - start };
}

export interface IssueData {
  options: IssueOptions;
  baseline: { perTransaction: Summary; perSecond: number; perSecondByBlock: number[] };
  concurrent: { latency: Summary; perSecond: number; wallMs: number; perSecondByBlock: number[] };
  sequential: { latency: Summary };
  serverSide: {
    issue: Summary;
    /** HallStore.commit: a command's statements (in a savepoint of the batch, with group commit). */
    commit: Summary;
    /** GroupCommit.flush: COMMIT + fsync of a batch; empty without group commit. */
    flush: Summary;
    groupCommit: YimenThreadStats['groupCommit'];
    issueP50ByBlock: number[];
    eventLoopUtilization: number;
    gc: YimenThreadStats['gc'];
  };
  waitingAtEnd: number;
}

export async function benchIssue(scope: Scope, opts: IssueOptions): Promise<BenchOutput<IssueData>> {
  const dir = scope.tempDir('issue');
  const bare = new BareStore(join(dir, 'bare.db'));
  scope.defer('close the bare database', () => bare.close());
  bare.run(opts.warmup);

  const server = await ThreadServer.start(new URL('./servers/yimen-thread.ts', import.meta.url), {
    dbFile: join(dir, 'yimen.db'),
  });
  scope.defer('stop the issue server', () => server.stop());
  const admin = new HttpClient(server.url);
  scope.defer('close the admin client', () => admin.close());
  const adminToken = await login(admin, 'admin', ADMIN_PASSWORD);
  const tokens = await createDevices(admin, adminToken, 'kiosk', opts.clients);
  const clients = tokens.map(() => new HttpClient(server.url));
  scope.defer('close the kiosk clients', () => {
    for (const c of clients) c.close();
  });

  const run = Date.now().toString(36);
  await load(clients, tokens, opts.warmup, `warm-${run}`);
  const sequential = await load(clients.slice(0, 1), tokens, opts.sequential, `seq-${run}`);

  const bareLatencies: number[] = [];
  const bareByBlock: number[] = [];
  const httpLatencies: number[] = [];
  const httpByBlock: number[] = [];
  const issueP50ByBlock: number[] = [];
  let httpWall = 0;
  let bareWall = 0;
  await server.call({ type: 'reset' });
  for (let b = 0; b < opts.blocks; b++) {
    const count = Math.floor(opts.tickets / opts.blocks) + (b < opts.tickets % opts.blocks ? 1 : 0);
    const bl = bare.run(count);
    const bw = bl.reduce((a, x) => a + x, 0);
    bareLatencies.push(...bl);
    bareByBlock.push(Math.round(perSecond(count, bw)));
    bareWall += bw;
    const before = (await server.call<YimenThreadStats>({ type: 'stats' })).issue.length;
    const l = await load(clients, tokens, count, `load-${run}-${b}`);
    httpLatencies.push(...l.latencies);
    httpByBlock.push(Math.round(perSecond(count, l.wallMs)));
    httpWall += l.wallMs;
    issueP50ByBlock.push(round(summarize((await server.call<YimenThreadStats>({ type: 'stats' })).issue.slice(before)).p50));
  }
  const stats = await server.call<YimenThreadStats>({ type: 'stats' });
  const queues = await admin.expect<{ queues: { waiting: number }[] }>(200, 'GET', '/api/v1/queues', adminToken);
  const waitingAtEnd = queues.body.queues.reduce((a, q) => a + q.waiting, 0);

  const lat = summarize(httpLatencies);
  const seq = summarize(sequential.latencies);
  const b = summarize(bareLatencies);
  const tps = perSecond(opts.tickets, httpWall);
  const bareTps = perSecond(opts.tickets, bareWall);
  const srvIssue = summarize(stats.issue);
  const srvCommit = summarize(stats.commit);
  const srvFlush = summarize(stats.flush);
  const gcm = stats.groupCommit;
  const perFsync = gcm && gcm.commits > 0 ? gcm.writes / gcm.commits : null;
  const data: IssueData = {
    options: opts,
    baseline: { perTransaction: rounded(b), perSecond: Math.round(bareTps), perSecondByBlock: bareByBlock },
    concurrent: {
      latency: rounded(lat),
      perSecond: Math.round(tps),
      wallMs: Math.round(httpWall),
      perSecondByBlock: httpByBlock,
    },
    sequential: { latency: rounded(seq) },
    serverSide: {
      issue: rounded(srvIssue),
      commit: rounded(srvCommit),
      flush: rounded(srvFlush),
      groupCommit: gcm,
      issueP50ByBlock,
      eventLoopUtilization: round(stats.eventLoopUtilization),
      gc: { count: stats.gc.count, totalMs: round(stats.gc.totalMs), maxMs: round(stats.gc.maxMs) },
    },
    waitingAtEnd,
  };

  const diff = (x: number, y: number) => `${x - y >= 0 ? '+' : ''}${(x - y).toFixed(2)} ms`;
  const p99Target = (x: number) => `≤ +${TARGET_P99_DIFF_MS} ms: ${x - b.p99 <= TARGET_P99_DIFF_MS ? 'met' : 'NOT met'}`;
  const firstBlock = httpByBlock[0] ?? 0;
  const lastBlock = httpByBlock[httpByBlock.length - 1] ?? 0;
  const startWaiting = opts.warmup + opts.sequential;
  const rows = [
    {
      bench: BENCH,
      metric: `throughput, ${opts.clients} kiosks`,
      value: rate(tps, 'tickets/s'),
      baseline: rate(bareTps, 'tx/s'),
      vs: ratio(tps / bareTps),
      target: `≥ ${rate(TARGET_PER_SECOND, '/s')}: ${tps >= TARGET_PER_SECOND ? 'met' : 'NOT met'}`,
    },
    {
      bench: BENCH,
      metric: `p50 latency, ${opts.clients} kiosks`,
      value: ms(lat.p50),
      baseline: ms(b.p50),
      vs: ratio(lat.p50 / b.p50),
      target: '',
    },
    {
      bench: BENCH,
      metric: `p99 latency, ${opts.clients} kiosks`,
      value: ms(lat.p99),
      baseline: ms(b.p99),
      vs: diff(lat.p99, b.p99),
      target: p99Target(lat.p99),
    },
    {
      bench: BENCH,
      metric: 'p50 latency, 1 kiosk alone',
      value: ms(seq.p50),
      baseline: ms(b.p50),
      vs: ratio(seq.p50 / b.p50),
      target: '',
    },
    {
      bench: BENCH,
      metric: 'p99 latency, 1 kiosk alone',
      value: ms(seq.p99),
      baseline: ms(b.p99),
      vs: diff(seq.p99, b.p99),
      target: p99Target(seq.p99),
    },
    {
      bench: BENCH,
      metric: 'server: HallService.issue p50 / p99',
      value: `${ms(srvIssue.p50)} / ${ms(srvIssue.p99)}`,
      baseline: `${ms(b.p50)} / ${ms(b.p99)}`,
      vs: `${ratio(srvIssue.p50 / b.p50)} / ${ratio(srvIssue.p99 / b.p99)}`,
      target: '',
    },
    {
      bench: BENCH,
      metric: `server: HallStore.commit${srvFlush.n > 0 ? ' (statements)' : ''} p50 / p99`,
      value: `${ms(srvCommit.p50)} / ${ms(srvCommit.p99)}`,
      baseline: `${ms(b.p50)} / ${ms(b.p99)}`,
      vs: `${ratio(srvCommit.p50 / b.p50)} / ${ratio(srvCommit.p99 / b.p99)}`,
      target: '',
    },
    ...(srvFlush.n > 0
      ? [
          {
            bench: BENCH,
            metric: `server: group COMMIT + fsync p50 / p99 (${perFsync === null ? '?' : perFsync.toFixed(1)} tickets each)`,
            value: `${ms(srvFlush.p50)} / ${ms(srvFlush.p99)}`,
            baseline: `${ms(b.p50)} / ${ms(b.p99)}`,
            vs: `${ratio(srvFlush.p50 / b.p50)} / ${ratio(srvFlush.p99 / b.p99)}`,
            target: '',
          },
        ]
      : []),
    {
      bench: BENCH,
      metric: `throughput, first → last block (${startWaiting.toLocaleString('en-US')} → ${waitingAtEnd.toLocaleString('en-US')} waiting)`,
      value: `${rate(firstBlock, '/s')} → ${rate(lastBlock, '/s')}`,
      baseline: `${rate(bareByBlock[0] ?? 0, '/s')} → ${rate(bareByBlock[bareByBlock.length - 1] ?? 0, '/s')}`,
      vs: `${ratio(firstBlock / (bareByBlock[0] ?? 1))} → ${ratio(lastBlock / (bareByBlock[bareByBlock.length - 1] ?? 1))}`,
      target: '',
    },
  ];
  const notes = [
    `Issue: ${opts.tickets.toLocaleString('en-US')} tickets measured in ${opts.blocks} blocks, each after a block of as many ` +
      `bare transactions, following ${opts.warmup} warm-up and ${opts.sequential} single-kiosk tickets. Nobody is called, so ` +
      `the queue grows to ${waitingAtEnd.toLocaleString('en-US')} waiting tickets; every answer carries the ticket's place and ` +
      `wait, and every issue broadcasts its queue's summary. HallService.issue p50 by block: ${issueP50ByBlock.map((x) => ms(x)).join(', ')}. ` +
      `The server thread was busy ${(stats.eventLoopUtilization * 100).toFixed(0)}% of the HTTP blocks` +
      (stats.eventLoopUtilization < 0.9 ? ' (below 90%: the clients or the fsyncs, not the server thread, set the pace)' : '') +
      ', ' +
      `${ms(stats.gc.totalMs)} of it in ${stats.gc.count} GC pauses (longest ${ms(stats.gc.maxMs)}).` +
      (gcm
        ? ` Group commit: ${gcm.writes.toLocaleString('en-US')} commands in ${gcm.commits.toLocaleString('en-US')} COMMITs.`
        : ''),
    `Issue: latency with ${opts.clients} kiosks includes waiting behind the other requests on the one server thread ` +
      '(≈ kiosks ÷ throughput); the single-kiosk rows show one request alone.',
  ];
  return { rows, data, notes };
}
