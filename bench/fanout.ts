/**
 * Benchmark 2 — call-next to the screens. 300 socket.io clients (hall-display devices, websocket only)
 * are connected; a clerk calls the next ticket over HTTP, again and again. Measured: from just before the
 * HTTP call to the moment each client receives the 'sync:facts' message with the fact of type 'ticket:called'. Baseline: a bare
 * socket.io server with the same 300 clients broadcasting the same facts (captured from the Yimen server
 * in this run) with io.emit, measured from just before the broadcast request to each receive. Both servers
 * and their 600 clients are up together; the calls and the broadcasts run in alternating blocks, so that
 * other work on the machine weighs on both alike.
 */
import { join } from 'node:path';
import type { FactMessage } from '@yimen/shared';
import type { Socket } from 'socket.io-client';
import { ADMIN_PASSWORD, CLERK, createDevices, ISSUE_SERVICES, issueTickets, login } from './lib/hall.js';
import { HttpClient } from './lib/http.js';
import type { BenchOutput } from './lib/report.js';
import type { Scope } from './lib/scope.js';
import { closeAll, connectMany, onFacts } from './lib/sockets.js';
import { ms, ratio, rounded, type Summary, summarize } from './lib/stats.js';
import { ThreadServer } from './lib/thread.js';
import type { YimenThreadStats } from './servers/yimen-thread.js';

export interface FanoutOptions {
  clients: number;
  /** Distinct hall-display devices; the clients share them in turn. */
  devices: number;
  calls: number;
  /** The measured calls are cut in this many blocks, each followed by as many baseline broadcasts. */
  blocks: number;
  /** Rounds of each, first, not measured; the Yimen facts of the last warm-up call are the baseline's payload. */
  warmup: number;
}

const BENCH = '2 call-next → screens';
const TARGET_RATIO = 1.5;
const ROUND_TIMEOUT_MS = 15_000;

interface Rounds {
  /** ms from the trigger to each client's 'ticket:called', over all measured (round × client) pairs. */
  latencies: number[];
  /** ms of the trigger itself (the HTTP call, or the broadcast request). */
  trigger: number[];
  /** The facts client 0 received in the last warm-up round. */
  captured: FactMessage[];
}

/**
 * Runs rounds one after the other: a round ends when every client has received the round's last fact
 * (queue:updated), so rounds never overlap.
 */
async function rounds(
  sockets: Socket[],
  count: number,
  warmup: number,
  trigger: (round: number) => Promise<void>,
): Promise<Rounds> {
  const out: Rounds = { latencies: [], trigger: [], captured: [] };
  let t0 = 0;
  let measuring = false;
  let capturing = false;
  let called = 0;
  let ended = 0;
  let finish: (() => void) | null = null;
  sockets.forEach((s, i) => {
    onFacts(s, (f: FactMessage) => {
      if (capturing && i === 0) out.captured.push(f);
      if (f.type === 'ticket:called') {
        called++;
        if (measuring) out.latencies.push(performance.now() - t0);
      } else if (f.type === 'queue:updated' && ++ended === sockets.length) finish?.();
    });
  });
  try {
    for (let r = 0; r < warmup + count; r++) {
      called = 0;
      ended = 0;
      measuring = r >= warmup;
      capturing = r === warmup - 1;
      let timer: NodeJS.Timeout | undefined;
      const done = new Promise<void>((resolve, reject) => {
        finish = resolve;
        timer = setTimeout(() => reject(new Error(`round ${r}: ${ended}/${sockets.length} clients heard it`)), ROUND_TIMEOUT_MS);
      });
      t0 = performance.now();
      await trigger(r);
      if (measuring) out.trigger.push(performance.now() - t0);
      await done;
      clearTimeout(timer);
      if (called !== sockets.length) throw new Error(`round ${r}: ${called} 'ticket:called' for ${sockets.length} clients`);
    }
  } finally {
    for (const s of sockets) s.off('sync:facts');
  }
  return out;
}

export interface FanoutData {
  options: FanoutOptions;
  yimen: {
    latency: Summary;
    callNextHttp: Summary;
    /** Per call: HallService.callNext plus, with group commit, the flush that commits it and emits its facts. */
    callNextServer: Summary;
    groupCommit: YimenThreadStats['groupCommit'];
    eventLoopUtilization: number;
  };
  baseline: { latency: Summary; broadcastRequest: Summary; emit: Summary };
  ratio: { p50: number; p99: number };
  factsPerCall: string[];
  factBytes: number;
}

export async function benchFanout(scope: Scope, opts: FanoutOptions): Promise<BenchOutput<FanoutData>> {
  const dir = scope.tempDir('fanout');

  // ---------------------------------------------------------------- the Yimen server
  const server = await ThreadServer.start(new URL('./servers/yimen-thread.ts', import.meta.url), {
    dbFile: join(dir, 'yimen.db'),
  });
  scope.defer('stop the fan-out server', () => server.stop());
  const http = new HttpClient(server.url);
  scope.defer('close the fan-out HTTP client', () => http.close());
  const adminToken = await login(http, 'admin', ADMIN_PASSWORD);
  const displays = await createDevices(http, adminToken, 'hall-display', opts.devices);
  const [kiosk] = await createDevices(http, adminToken, 'kiosk', 1);
  await issueTickets(http, kiosk as string, opts.calls + opts.warmup + 5, ISSUE_SERVICES, `fan-${Date.now().toString(36)}`);
  const clerk = await login(http, CLERK.username, CLERK.password);
  await http.expect(200, 'POST', `/api/v1/counters/${CLERK.counterId}/open`, clerk, {});

  const sockets: Socket[] = [];
  scope.defer('close the Yimen sockets', () => closeAll(sockets));
  await connectMany(server.url, opts.clients, sockets, {
    token: (i) => displays[i % displays.length] as string,
    waitSnapshot: true,
  });

  // ---------------------------------------------------------------- the baseline: bare socket.io
  const bare = await ThreadServer.start(new URL('./servers/bare-io.mjs', import.meta.url), {});
  scope.defer('stop the bare socket.io server', () => bare.stop());
  const bareSockets: Socket[] = [];
  scope.defer('close the bare sockets', () => closeAll(bareSockets));
  await connectMany(bare.url, opts.clients, bareSockets);

  // ---------------------------------------------------------------- warm-up, then alternating blocks
  let call = 0;
  const callNextOverHttp = async () => {
    const n = call++;
    const res = await http.request('POST', `/api/v1/counters/${CLERK.counterId}/call-next`, clerk, { requestId: `call-${n}` });
    if (res.status !== 200) throw new Error(`call-next ${n}: ${res.status} ${res.text.slice(0, 300)}`);
  };
  const facts = (await rounds(sockets, 0, opts.warmup, callNextOverHttp)).captured;
  if (facts.length === 0) throw new Error('no facts captured from the Yimen server');
  const emitMs: number[] = [];
  let measuring = false;
  const broadcast = async () => {
    const v = await bare.call<{ ms: number }>({ type: 'broadcast', facts });
    if (measuring) emitMs.push(v.ms);
  };
  await rounds(bareSockets, 0, opts.warmup, broadcast);
  await server.call({ type: 'reset' });
  measuring = true;
  const yimen: Rounds = { latencies: [], trigger: [], captured: facts };
  const base: Rounds = { latencies: [], trigger: [], captured: facts };
  for (let blk = 0; blk < opts.blocks; blk++) {
    const count = Math.floor(opts.calls / opts.blocks) + (blk < opts.calls % opts.blocks ? 1 : 0);
    for (const [into, part] of [
      [yimen, await rounds(sockets, count, 0, callNextOverHttp)],
      [base, await rounds(bareSockets, count, 0, broadcast)],
    ] as const) {
      into.latencies.push(...part.latencies);
      into.trigger.push(...part.trigger);
    }
  }
  const stats = await server.call<YimenThreadStats>({ type: 'stats' });
  closeAll(sockets);
  closeAll(bareSockets);
  await server.stop();
  await bare.stop();

  const y = summarize(yimen.latencies);
  const b = summarize(base.latencies);
  const http50 = summarize(yimen.trigger);
  // With group commit the facts go out from the flush after the command; pair each call with its flush.
  const paired = stats.flush.length === stats.callNext.length;
  const callNext = summarize(paired ? stats.callNext.map((x, i) => x + (stats.flush[i] as number)) : stats.callNext);
  const emit = summarize(emitMs);
  const data: FanoutData = {
    options: opts,
    yimen: {
      latency: rounded(y),
      callNextHttp: rounded(http50),
      callNextServer: rounded(callNext),
      groupCommit: stats.groupCommit,
      eventLoopUtilization: stats.eventLoopUtilization,
    },
    baseline: { latency: rounded(b), broadcastRequest: rounded(summarize(base.trigger)), emit: rounded(summarize(emitMs)) },
    ratio: { p50: y.p50 / b.p50, p99: y.p99 / b.p99 },
    factsPerCall: facts.map((f) => f.type),
    factBytes: facts.reduce((a, f) => a + Buffer.byteLength(JSON.stringify(f)), 0),
  };
  const verdict = (r: number) => `≤ ${TARGET_RATIO}×: ${r <= TARGET_RATIO ? 'met' : 'NOT met'}`;
  const pairs = `${opts.calls} calls × ${opts.clients} clients`;
  const rows = [
    {
      bench: BENCH,
      metric: `p50, ${pairs}`,
      value: ms(y.p50),
      baseline: ms(b.p50),
      vs: ratio(data.ratio.p50),
      target: verdict(data.ratio.p50),
    },
    {
      bench: BENCH,
      metric: `p99, ${pairs}`,
      value: ms(y.p99),
      baseline: ms(b.p99),
      vs: ratio(data.ratio.p99),
      target: verdict(data.ratio.p99),
    },
    { bench: BENCH, metric: 'max', value: ms(y.max), baseline: ms(b.max), vs: ratio(y.max / b.max), target: '' },
    {
      bench: BENCH,
      metric: 'server: call-next incl. commit + io.emit p50 / p99',
      value: `${ms(callNext.p50)} / ${ms(callNext.p99)}`,
      baseline: `${ms(emit.p50)} / ${ms(emit.p99)}`,
      vs: `${ratio(callNext.p50 / emit.p50)} / ${ratio(callNext.p99 / emit.p99)}`,
      target: '',
    },
    {
      bench: BENCH,
      metric: 'call-next HTTP answer at the clerk p50 / p99',
      value: `${ms(http50.p50)} / ${ms(http50.p99)}`,
      baseline: '',
      vs: '',
      target: '',
    },
  ];
  const notes = [
    `Call-next: facts per call ${data.factsPerCall.join(', ')} (${data.factBytes.toLocaleString('en-US')} bytes of JSON), ` +
      `broadcast to ${opts.clients} clients on ${opts.devices} hall-display devices. The server-side row is, per call, ` +
      `HallService.callNext${paired ? ' plus the group-commit flush that commits it and emits its facts' : ' (which emits its facts)'}; ` +
      `the baseline beside it is the bare server's emit of the same facts.`,
    'Call-next: the 300 clients run on the main thread of this process (2 cores: one for the server thread, one ' +
      'for the clients), so the latency to the last client mostly measures the clients decoding 300 messages in turn; ' +
      "the baseline has the same cost, hence the ratio. The baseline's start is the broadcast request to its thread. " +
      "The clerk's HTTP answer is read by that same busy thread, after the facts of the call.",
  ];
  return { rows, data, notes };
}
