/**
 * Yimen queue server benchmarks — `npm run bench` (builds the server, then runs this file with tsx).
 *
 * Every figure is printed beside a baseline measured in the same run, as a ratio (or a difference where
 * the target is one); targets are printed, never asserted. Results: a table on stdout, and one report of
 * every benchmark, bench-results/report.json + bench-results/report.md (git-ignored), with the machine,
 * the date, the commit and the load average (other work on the machine skews every figure; the header
 * warns when it is busy). `--only` re-runs some benchmarks and keeps the others' latest entries in the
 * report, each marked with the run it came from.
 *
 * 1. issue.ts — ticket issue over HTTP. 20 kiosk devices, each one keep-alive connection (node:http
 *    Agent, maxSockets 1), loop on POST /api/v1/tickets with unique requestIds: 5,000 tickets after a
 *    warm-up, throughput and latency p50/p99; also one kiosk alone (latency without queueing) and the
 *    server-side time of HallService.issue, HallStore.commit and the group COMMIT + fsync (with how many
 *    tickets each fsync carried). Baseline: the bare better-sqlite3
 *    transaction of the same rows (ticket + event + request key) in the same schema (openDb), WAL and
 *    synchronous=FULL, one after the other. Baseline and HTTP run in 5 alternating blocks.
 *    Targets: p99 within 2 ms of the bare transaction's; ≥ 1,000 tickets/s.
 * 2. fanout.ts — call-next → 'ticket:called' at 300 socket.io clients (websocket, hall-display device
 *    tokens). 200 calls by a clerk over HTTP; each sample is one (call × client) pair, from just before
 *    the HTTP call to that client's receive. Baseline: a bare socket.io server (servers/bare-io.mjs) with
 *    its own 300 clients, io.emit of the facts captured from the Yimen server in this run
 *    (ticket:finished, ticket:called, queue:updated). Both are up together and run in 4 alternating
 *    blocks. Target: ≤ 1.5× the baseline.
 * 3. memory.ts — VmRSS of `node apps/queue-server/dist/main.js` as a child process (demo hall): idle
 *    after the first start (which hashes the hall's users), idle after a restart, after a user is created
 *    and 2 logins, and with 300 clients connected after tickets and calls. Baselines: a bare
 *    `node -e "setInterval(()=>{},1000)"` child, and the bare socket.io server child with the same 300
 *    clients and broadcasts. Target: ≤ 150 MB.
 * 4. dom.ts — call-next → the hall screen's DOM in Chromium. The server (worker thread) serves the built
 *    screens (apps/counter-display/dist); headless Debian Chromium (Playwright, no GPU, 1920×1080) opens
 *    /hall?token=… and a MutationObserver records when data-testid="latest-call" shows each called number.
 *    200 calls one after the other, each from just before the HTTP call. Baseline: a bare socket.io
 *    client's arrival of the same 'ticket:called' fact, same run, same clock. Target: DOM − socket ≤ 16 ms
 *    (one frame) at p50 and p99.
 * 5. kiosk-print.ts — a tap on 确认取号 in the kiosk renderer (Chromium, 1080×1920) to the ticket fully
 *    received by the virtual printer, through the kiosk agent, over 100 tickets; split into the printer's
 *    status query, the agent's POST /tickets (and the server's HallService.issue inside it) and the print.
 *    Baselines: POST /tickets straight from Node, and the same bytes straight to the printer. Target: p99
 *    under 1 s, the server's part a small share.
 * 6. keypad-screen.ts — a call keypad's 呼叫 (FF 68 bus over a socat pty pair) through the device bridge
 *    to the window screen's frame (Onbon simulator over TCP), 500 presses. Baseline: the same key frame
 *    echoed by bare serialport on the same pty pair.
 * 7. simulate.ts — simulated tickets per second in-process: the demo day plan (~1,140 tickets, 25 counters)
 *    run by the simulator (sim/engine.ts: the real domain core, injected clock) for 5 seeds, the draws made
 *    beforehand. Baseline: the same number of tickets through the raw domain commands issue → call-next →
 *    start → finish at one counter in a tight loop, without the simulator's event queue, waiting line,
 *    estimates or event log; 5 alternating blocks, medians. The ratio is the simulator's overhead; no target.
 *
 * In benchmarks 1, 2, 4, 5 and 6 the servers run in worker threads of this process (servers/yimen-thread.ts:
 * createApp on port 0, a temporary SQLite file, a clock from a working Monday 09:00, enforceHours false)
 * and the clients on the main thread: with 2 cores, one serves and one plays the clients.
 * Options: `npm run bench -- --only=1,3` runs some benchmarks only. Ctrl-C cleans up and writes nothing.
 */
import os from 'node:os';
import { benchDom } from './dom.js';
import { benchFanout } from './fanout.js';
import { benchIssue } from './issue.js';
import { benchKeypadScreen } from './keypad-screen.js';
import { benchKioskPrint } from './kiosk-print.js';
import { type BenchEntry, type BenchOutput, machineInfo, machineLine, type Row, textTable, writeResults } from './lib/report.js';
import { closeOpenScopes, type Scope, withScope } from './lib/scope.js';
import { benchMemory } from './memory.js';
import { benchSimulate } from './simulate.js';

const RESULTS_DIR = new URL('../bench-results/', import.meta.url).pathname;

const BENCHES: { id: string; name: string; run: (scope: Scope) => Promise<BenchOutput<unknown>> }[] = [
  { id: '1', name: 'issue', run: (s) => benchIssue(s, { tickets: 5_000, blocks: 5, clients: 20, warmup: 300, sequential: 500 }) },
  { id: '2', name: 'fanout', run: (s) => benchFanout(s, { clients: 300, devices: 300, calls: 200, blocks: 4, warmup: 30 }) },
  { id: '3', name: 'memory', run: (s) => benchMemory(s, { clients: 300, devices: 300, tickets: 200, calls: 50 }) },
  { id: '4', name: 'hall-dom', run: (s) => benchDom(s, { calls: 200, warmup: 20 }) },
  { id: '5', name: 'kiosk-print', run: (s) => benchKioskPrint(s, { tickets: 100, warmup: 5 }) },
  { id: '6', name: 'keypad-screen', run: (s) => benchKeypadScreen(s, { presses: 500, warmup: 20 }) },
  { id: '7', name: 'simulate', run: () => benchSimulate({ seeds: [1, 2, 3, 4, 5], blocks: 5 }) },
];

let interrupted = false;

async function main(): Promise<number> {
  const started = performance.now();
  const machine = machineInfo();
  const only = process.argv
    .find((a) => a.startsWith('--only='))
    ?.slice('--only='.length)
    .split(',')
    .map((s) => s.trim());
  process.stdout.write(`Yimen queue server benchmarks\n${machineLine(machine)}\n`);
  if (os.cpus().length <= 2) process.stdout.write('note: the clients share this machine with the servers\n');
  if (machine.loadAverage.start > machine.cores / 2)
    process.stdout.write(
      `note: the machine is busy (load ${machine.loadAverage.start} on ${machine.cores} cores): figures will be noisy\n`,
    );

  const rows: Row[] = [];
  const notes: string[] = [];
  const entries: Omit<BenchEntry, 'machine' | 'runSeconds'>[] = [];
  let failed = 0;
  for (const b of BENCHES) {
    if (only && !only.includes(b.id)) continue;
    if (interrupted) break;
    const t0 = performance.now();
    process.stdout.write(`\n[${b.id}] ${b.name} … `);
    try {
      const out = await withScope(b.run);
      rows.push(...out.rows);
      notes.push(...out.notes);
      entries.push({ id: b.id, name: b.name, rows: out.rows, notes: out.notes, data: out.data });
      process.stdout.write(`${((performance.now() - t0) / 1000).toFixed(1)} s\n`);
    } catch (e) {
      if (interrupted) break;
      failed++;
      const error = e instanceof Error ? e.message : String(e);
      const row: Row = { bench: b.name, metric: 'failed', value: error.slice(0, 80), baseline: '', vs: '', target: '' };
      entries.push({ id: b.id, name: b.name, rows: [row], notes: [], data: { error } });
      process.stdout.write('failed\n');
      process.stderr.write(`bench ${b.name}: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    }
  }

  if (interrupted) return 130;
  const seconds = (performance.now() - started) / 1000;
  machine.loadAverage.end = Math.round((os.loadavg()[0] ?? 0) * 100) / 100;
  process.stdout.write(`\n${textTable(rows)}\n\n${notes.map((n) => `- ${n}`).join('\n')}\n`);
  const files = writeResults(
    RESULTS_DIR,
    machine,
    entries.map((e) => ({ ...e, machine, runSeconds: Math.round(seconds) })),
    BENCHES.map((b) => b.id),
  );
  process.stdout.write(`\nwritten: ${files.json}, ${files.md} (${seconds.toFixed(0)} s)\n`);
  if (files.kept.length) process.stdout.write(`the report also holds earlier runs' figures of: ${files.kept.join(', ')}\n`);
  return failed === 0 ? 0 : 1;
}

for (const signal of ['SIGINT', 'SIGTERM'] as const)
  process.once(signal, () => {
    interrupted = true;
    process.stderr.write(`\nbench: ${signal}, cleaning up\n`);
    void closeOpenScopes().finally(() => process.exit(130));
  });

main().then(
  (code) => {
    process.exitCode = code;
    // Everything is closed by now; should a handle linger, do not hang the run.
    setTimeout(() => {
      process.stderr.write('bench: a handle kept the process alive after the run; exiting\n');
      process.exit(code);
    }, 3_000).unref();
  },
  (e: unknown) => {
    process.stderr.write(`bench: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exit(1);
  },
);
