/**
 * Benchmark 6 — a key press on a counter's call keypad to the window screen's frame. The Yimen server runs in
 * a worker thread; the device bridge (hardware/src/bridge) runs in this process with the FF 68 bus on a
 * socat pty pair (serialport, 9600 8N1 — a pty carries bytes at once whatever the speed) and the window
 * screen's simulator (Onbon over TCP) beside it. Per press: the simulated keypad sends 呼叫, the bridge
 * echoes it, POSTs call-next, hears ticket:called and writes the screen; the sample ends when the screen
 * simulator has decoded the new text (and, separately, when the bridge's show() got the screen's reply).
 * Baseline in the same run: a bare serial echo round trip of the same key frame on the same pty pair.
 */
import { join } from 'node:path';
import { DeviceBridge } from '@yimen/hardware/bridge/bridge';
import { validateBridgeConfig } from '@yimen/hardware/bridge/config';
import { openLine, openScreen } from '@yimen/hardware/bridge/open';
import { encodeKeyPress, KeyCode, PROFILES } from '@yimen/hardware/counter-bus/codec';
import { KeypadSimulator } from '@yimen/hardware/counter-bus/simulator';
import { OnbonSimulator } from '@yimen/hardware/onbon/simulator';
import { openSerialPort } from '@yimen/hardware/serial/port';
import { startSocat } from '@yimen/hardware/testing/socat';
import { now } from './lib/chromium.js';
import { ADMIN_PASSWORD, issueTickets, login } from './lib/hall.js';
import { HttpClient } from './lib/http.js';
import type { BenchOutput, Row } from './lib/report.js';
import type { Scope } from './lib/scope.js';
import { ms, ratio, rounded, type Summary, summarize } from './lib/stats.js';
import { ThreadServer } from './lib/thread.js';

export interface KeypadScreenOptions {
  presses: number;
  warmup: number;
}

const BENCH = '6 key → screen';

export interface KeypadScreenData {
  options: KeypadScreenOptions;
  /** Key frame sent → the screen simulator decoded the call's text. */
  screenReceived: Summary;
  /** Key frame sent → the bridge's show() resolved (the screen's reply heard). */
  screenAcknowledged: Summary;
  /** The same key frame echoed back over the same pty pair, bare serialport. */
  serialEcho: Summary;
}

/** Resolves when cond() holds, checking on every turn of the event loop (sub-ms). */
function until(cond: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  return new Promise((resolve, reject) => {
    const step = () => {
      if (cond()) return resolve();
      if (performance.now() > deadline) return reject(new Error(`timed out: ${what}`));
      setImmediate(step);
    };
    step();
  });
}

export async function benchKeypadScreen(scope: Scope, opts: KeypadScreenOptions): Promise<BenchOutput<KeypadScreenData>> {
  const dir = scope.tempDir('keypad');
  const total = opts.presses + opts.warmup;
  const server = await ThreadServer.start(new URL('./servers/yimen-thread.ts', import.meta.url), {
    dbFile: join(dir, 'yimen.db'),
  });
  scope.defer('stop the keypad-bench server', () => server.stop());
  const http = new HttpClient(server.url);
  scope.defer('close the keypad-bench HTTP client', () => http.close());
  const admin = await login(http, 'admin', ADMIN_PASSWORD);
  const device = async (kind: string, counterId?: string) =>
    (
      await http.expect<{ token: string }>(201, 'POST', '/api/v1/devices', admin, {
        kind,
        name: `bench-${kind}`,
        ...(counterId ? { counterId } : {}),
      })
    ).body.token;
  const kiosk = await device('kiosk');
  const keypadToken = await device('call-keypad', 'w1');
  const bridgeToken = await device('hall-display');
  await issueTickets(http, kiosk, total + 5, ['gen-a'], `keypad-${Date.now().toString(36)}`);

  const pair = await startSocat([join(dir, 'keypad'), join(dir, 'host')]);
  scope.defer('stop socat', () => {
    pair.proc.kill('SIGKILL');
  });

  // ---------------------------------------------------------------- baseline: a bare echo on the same pty pair
  const frame = encodeKeyPress(1, [], KeyCode.call, PROFILES.jackqchen);
  const a = await openSerialPort(pair.a, { baudRate: 9600 });
  const b = await openSerialPort(pair.b, { baudRate: 9600 });
  b.onData((chunk) => void b.write(chunk));
  let got = 0;
  a.onData((chunk) => {
    got += chunk.length;
  });
  const echo: number[] = [];
  for (let i = 0; i < total; i++) {
    const want = got + frame.length;
    const t0 = now();
    await a.write(frame);
    await until(() => got >= want, 2000, 'the echo');
    if (i >= opts.warmup) echo.push(now() - t0);
  }
  await a.close();
  await b.close();

  // ---------------------------------------------------------------- the bridge
  const screen = new OnbonSimulator({ address: 1, width: 192, height: 32 });
  await screen.listen(0);
  scope.defer('close the screen simulator', () => screen.close());
  const bridge = await new DeviceBridge(
    validateBridgeConfig({
      server: server.url,
      token: bridgeToken,
      // A bench presses 呼叫 again at once: no duplicate window (a hall keeps the default 1 s).
      lines: [{ port: pair.b, duplicateWindowMs: 0, keypads: [{ address: 1, counter: 'w1', token: keypadToken }] }],
      screens: [{ counter: 'w1', protocol: 'onbon', uri: screen.uri }],
    }),
    { openLine, openScreen },
  ).start();
  scope.defer('close the bridge', () => bridge.close());
  let acknowledged = 0;
  bridge.onScreenWritten(() => {
    acknowledged++;
  });
  const keypad = await KeypadSimulator.open(pair.a, { address: 1, profile: PROFILES.jackqchen }, 9600);
  scope.defer('close the keypad', () => keypad.close());
  await until(() => bridge.link.view !== null && screen.text !== '', 10_000, 'the bridge to draw the screen');

  const received: number[] = [];
  const acked: number[] = [];
  for (let i = 0; i < total; i++) {
    const want = `请A${String(i + 1).padStart(3, '0')}号到1号窗口`;
    const ackBefore = acknowledged;
    const t0 = now();
    await keypad.pressCall();
    await until(() => screen.text === want, 10_000, `press ${i}: the screen to show ${want} (shows ${screen.text})`);
    const t1 = now();
    await until(() => acknowledged > ackBefore, 10_000, `press ${i}: the screen's reply`);
    const t2 = now();
    if (i >= opts.warmup) {
      received.push(t1 - t0);
      acked.push(t2 - t0);
    }
  }
  await keypad.close();
  await bridge.close();
  await screen.close();
  await server.stop();
  pair.proc.kill('SIGKILL');

  const data: KeypadScreenData = {
    options: opts,
    screenReceived: rounded(summarize(received)),
    screenAcknowledged: rounded(summarize(acked)),
    serialEcho: rounded(summarize(echo)),
  };
  const rows: Row[] = [
    {
      bench: BENCH,
      metric: `key press → screen frame decoded p50 (${opts.presses} presses)`,
      value: ms(data.screenReceived.p50),
      baseline: ms(data.serialEcho.p50),
      vs: ratio(data.screenReceived.p50 / data.serialEcho.p50),
      target: '',
    },
    {
      bench: BENCH,
      metric: 'key press → screen frame decoded p99',
      value: ms(data.screenReceived.p99),
      baseline: ms(data.serialEcho.p99),
      vs: ratio(data.screenReceived.p99 / data.serialEcho.p99),
      target: '',
    },
    {
      bench: BENCH,
      metric: "key press → the screen's reply heard p50 / p99",
      value: `${ms(data.screenAcknowledged.p50)} / ${ms(data.screenAcknowledged.p99)}`,
      baseline: '',
      vs: '',
      target: '',
    },
  ];
  return {
    rows,
    data,
    notes: [
      `${BENCH}: baseline = the same key frame echoed back by bare serialport on the same socat pty pair. A pty has no baud-rate delay: a real 9600 8N1 line adds ~1 ms per byte (~8 ms for the 8-byte key frame); the screen here is on TCP.`,
    ],
  };
}
