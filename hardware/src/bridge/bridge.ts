/**
 * The device bridge: the counters' serial devices acting as API v1 devices.
 *
 *  keypad key ──▶ API action with the keypad's token (呼叫 call-next, digits + 呼叫 call-number, 重呼 recall,
 *                 过号 no-show, digits + 转移 transfer to that window, 暂停/恢复 pause/resume, 评价 evaluation)
 *  ticket:called ──▶ the window screen's text and the keypad's display
 *  ticket:finished ──▶ the evaluator starts; its key becomes the evaluation (the evaluation-pad token)
 *
 * Lines that fail (a cable pulled) are reopened with backoff; a server restart is a new snapshot, after which
 * every screen and keypad display is drawn again. Key frames a keypad resends are dropped by the bus. While a
 * line is open its devices' tokens are connected, so the manager view shows them online, and offline when
 * the line is lost.
 */
import type { Counter, EvaluationLevel, FactMessage, HallView } from '@yimen/shared';
import { io, type Socket } from 'socket.io-client';
import type { KeyEvent, RatingEvent } from '../counter-bus/bus.js';
import { CounterBus } from '../counter-bus/bus.js';
import { PROFILES } from '../counter-bus/codec.js';
import type { WindowScreen } from '../screens/window-screen.js';
import type { Port } from '../serial/port.js';
import type { BridgeConfig, KeypadConfig, LineConfig, ScreenConfig } from './config.js';
import { HallLink } from './hall-link.js';

export interface BridgeLogger {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

export interface BridgeDeps {
  /** Opens a line's serial port (serialport in production; the same on a socat pty in tests). */
  openLine(line: LineConfig): Promise<Port>;
  /** Opens a window screen's driver. */
  openScreen(screen: ScreenConfig): Promise<WindowScreen>;
  logger?: BridgeLogger;
  /** Backoff of reopening, ms: first and maximum (default 500 and 10 000). */
  backoffMs?: [number, number];
  clock?: () => number;
}

/** The key evaluator's level → the five named levels (4-key devices: 0–3; 5-key devices: 0–4). */
export function evaluationLevel(keys: 4 | 5, level: number): EvaluationLevel | null {
  const four: EvaluationLevel[] = ['dissatisfied', 'basic', 'satisfied', 'very_satisfied'];
  const five: EvaluationLevel[] = ['very_dissatisfied', 'dissatisfied', 'basic', 'satisfied', 'very_satisfied'];
  return (keys === 4 ? four : five)[level] ?? null;
}

/** A call's text on a window screen. */
export function fillText(template: string, number: string, counter: number | string): string {
  return template.replaceAll('{number}', number).replaceAll('{counter}', String(counter));
}

export interface BridgeStats {
  keys: number;
  actions: number;
  refused: number;
  evaluations: number;
  lineReopens: number;
  screenErrors: number;
}

interface LineState {
  config: LineConfig;
  bus: CounterBus | null;
  opening: boolean;
  backoff: number;
  /** One socket per device token of the line while it is open: managers see its keypads and evaluators online. */
  presence: Socket[];
}

interface PendingEvaluation {
  ticketId: string;
  keypad: KeypadConfig;
  line: LineState;
  timer: NodeJS.Timeout;
}

export class DeviceBridge {
  readonly stats: BridgeStats = { keys: 0, actions: 0, refused: 0, evaluations: 0, lineReopens: 0, screenErrors: 0 };
  readonly link: HallLink;
  private readonly lines: LineState[];
  private readonly screens = new Map<string, { config: ScreenConfig; driver: WindowScreen | null; shown: string | null }>();
  private readonly evaluations = new Map<string, PendingEvaluation>();
  private readonly log: BridgeLogger | undefined;
  private readonly backoff: [number, number];
  private readonly timers = new Set<NodeJS.Timeout>();
  private presses = 0;
  private readonly busy = new Set<string>();
  /** What each keypad's display shows now, so unchanged displays are not written again. */
  private readonly displayed = new Map<string, string>();
  private readonly boot = Math.random().toString(36).slice(2, 8);
  private closed = false;
  /** Listeners told when a screen was written (tests, the benchmark). */
  private readonly screenListeners = new Set<(counterId: string, text: string) => void>();

  constructor(
    readonly config: BridgeConfig,
    private readonly deps: BridgeDeps,
  ) {
    this.log = deps.logger;
    this.backoff = deps.backoffMs ?? [500, 10_000];
    this.lines = config.lines.map((l) => ({ config: l, bus: null, opening: false, backoff: this.backoff[0], presence: [] }));
    for (const s of config.screens) this.screens.set(s.counter, { config: s, driver: null, shown: null });
    this.link = new HallLink(config.server, config.token);
  }

  async start(): Promise<this> {
    this.link.on((e) => {
      if (e.type === 'resynced') void this.redrawAll(e.view);
      else if (e.type === 'fact') void this.onFact(e.fact, e.view);
    });
    this.link.connect();
    await Promise.all(this.lines.map((l) => this.openLine(l)));
    await Promise.all([...this.screens.values()].map((s) => this.openScreen(s)));
    return this;
  }

  onScreenWritten(l: (counterId: string, text: string) => void): () => void {
    this.screenListeners.add(l);
    return () => this.screenListeners.delete(l);
  }

  /** Bad frames and duplicates seen on every line. */
  lineStats(): { port: string; open: boolean; bytesIn: number; frames: number; badFrames: number; duplicates: number }[] {
    return this.lines.map((l) => ({
      port: l.config.port,
      open: l.bus !== null,
      bytesIn: l.bus?.stats.bytesIn ?? 0,
      frames: l.bus?.stats.frames ?? 0,
      badFrames: l.bus?.stats.badFrames ?? 0,
      duplicates: l.bus?.stats.duplicates ?? 0,
    }));
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const t of this.timers) clearTimeout(t);
    for (const p of this.evaluations.values()) clearTimeout(p.timer);
    this.link.close();
    for (const l of this.lines) this.dropPresence(l);
    await Promise.all(this.lines.map((l) => l.bus?.close().catch(() => undefined)));
    await Promise.all([...this.screens.values()].map((s) => s.driver?.close().catch(() => undefined)));
  }

  private later(ms: number, fn: () => void): void {
    const t = setTimeout(() => {
      this.timers.delete(t);
      if (!this.closed) fn();
    }, ms);
    this.timers.add(t);
  }

  // ---------------------------------------------------------------- lines

  private async openLine(line: LineState): Promise<void> {
    if (this.closed || line.opening || line.bus) return;
    line.opening = true;
    try {
      const port = await this.deps.openLine(line.config);
      const bus = new CounterBus(port, {
        profile: PROFILES[line.config.profile],
        addresses: line.config.keypads.map((k) => k.address),
        duplicateWindowMs: line.config.duplicateWindowMs,
        ...(this.deps.clock ? { clock: this.deps.clock } : {}),
      });
      bus.onKey((e) => void this.onKey(line, e));
      bus.onRating((e) => void this.onRating(line, e));
      port.onClose?.((err) => {
        if (line.bus !== bus) return;
        line.bus = null;
        this.dropPresence(line);
        this.log?.warn({ port: line.config.port, err: err?.message }, 'serial line lost; reopening');
        void bus.close().catch(() => undefined);
        this.retryLine(line);
      });
      line.bus = bus;
      line.backoff = this.backoff[0];
      for (const k of line.config.keypads) this.displayed.delete(`${line.config.port}#${k.address}`);
      this.showPresence(line);
      this.log?.info({ port: line.config.port }, 'serial line open');
      const view = this.link.view;
      if (view) for (const k of line.config.keypads) void this.drawKeypad(line, k, view);
    } catch (e) {
      this.log?.warn({ port: line.config.port, err: (e as Error).message }, 'serial line cannot be opened; retrying');
      this.retryLine(line);
    } finally {
      line.opening = false;
    }
  }

  private showPresence(line: LineState): void {
    this.dropPresence(line);
    const tokens = line.config.keypads.flatMap((k) => (k.evaluatorToken ? [k.token, k.evaluatorToken] : [k.token]));
    line.presence = tokens.map((token) =>
      io(this.config.server, {
        auth: { token },
        transports: ['websocket'],
        reconnectionDelay: 1000,
        reconnectionDelayMax: 10_000,
      }),
    );
  }

  private dropPresence(line: LineState): void {
    for (const s of line.presence) s.close();
    line.presence = [];
  }

  private retryLine(line: LineState): void {
    const wait = line.backoff;
    line.backoff = Math.min(line.backoff * 2, this.backoff[1]);
    this.later(wait, () => {
      this.stats.lineReopens++;
      void this.openLine(line);
    });
  }

  // ---------------------------------------------------------------- keys → actions

  private counterOf(id: string): Counter | undefined {
    return this.link.view?.counters.find((c) => c.id === id);
  }

  private async onKey(line: LineState, e: KeyEvent): Promise<void> {
    this.stats.keys++;
    const keypad = line.config.keypads.find((k) => k.address === e.address);
    if (!keypad) return;
    // One action at a time per keypad: presses while one is still on its way (a server restart) are not
    // queued up to all land later, each finishing a ticket nobody served; the keypad beeps instead.
    if (this.busy.has(keypad.counter)) return this.refuse(line, keypad, 'BUSY', e.name);
    this.busy.add(keypad.counter);
    try {
      await this.keyAction(line, keypad, e);
    } finally {
      this.busy.delete(keypad.counter);
    }
  }

  private async keyAction(line: LineState, keypad: KeypadConfig, e: KeyEvent): Promise<void> {
    const digits = e.digits.join('');
    const id = keypad.counter;
    const press = `kp-${this.boot}-${++this.presses}`;
    const act = (path: string, body: unknown = {}) => this.act(line, keypad, `/counters/${id}/${path}`, body);
    switch (e.name) {
      case 'call': {
        if (digits) return void (await act('call-number', { number: digits, requestId: press }));
        const state = this.counterOf(id)?.state;
        if (state === 'closed' && this.config.autoOpen) await act('open');
        return void (await act('call-next', { requestId: press }));
      }
      case 'recall':
        return void (await act('recall'));
      case 'transfer':
      case 'start': {
        const target = this.link.view?.counters.find((c) => String(c.number) === String(Number(digits)));
        if (!digits || !target) return this.refuse(line, keypad, 'TRANSFER_TARGET', digits);
        return void (await act('transfer', { counterId: target.id }));
      }
      case 'pause': {
        const state = this.counterOf(id)?.state;
        return void (await act(state === 'paused' ? 'resume' : 'pause'));
      }
      case 'evaluate':
        // 评价: the business is done; its ticket:finished fact starts the evaluator (only a done ticket can be rated).
        return void (await act('finish'));
      case 'function':
        switch (e.fn) {
          case 'no-show':
            return void (await act('no-show'));
          case 'pause':
          case 'hang':
            return void (await act('pause'));
          case 'resume':
            return void (await act('resume'));
          case 'call-back':
            return void (await act('recall'));
          case 'login':
            // 登录 with a staff number: the keypad takes its counter (the clerk logs in on the console).
            return void (await act('open'));
          case 'logout':
            return void (await act('close'));
          default:
            // 呼叫保安 / 主任 / 咨询 and the like have no API yet: the keypad beeps.
            return this.refuse(line, keypad, 'UNSUPPORTED_FUNCTION', `${e.fn ?? digits}`);
        }
      default:
        return; // 取消 and keys without a meaning here: the keypad clears its own digits
    }
  }

  /** One action, retried while the server cannot be reached (a restart), up to ~6 s; refusals beep. */
  private async act(line: LineState, keypad: KeypadConfig, path: string, body: unknown): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      const r = await this.link.api(keypad.token, 'POST', path, body);
      if (r.status === 0 && attempt < 6 && !this.closed) {
        await new Promise((res) => setTimeout(res, 1000));
        continue;
      }
      if (r.status >= 200 && r.status < 300) {
        this.stats.actions++;
        return;
      }
      this.refuse(line, keypad, r.json?.error?.code ?? `HTTP_${r.status}`, path);
      return;
    }
  }

  private refuse(line: LineState, keypad: KeypadConfig, code: string, what: string): void {
    this.stats.refused++;
    this.log?.info({ counter: keypad.counter, code, what }, 'keypad action refused');
    void line.bus?.beep(keypad.address).catch(() => undefined);
  }

  // ---------------------------------------------------------------- facts → screens, displays, evaluators

  private keypadOf(counterId: string): { line: LineState; keypad: KeypadConfig } | null {
    for (const line of this.lines) {
      const keypad = line.config.keypads.find((k) => k.counter === counterId);
      if (keypad) return { line, keypad };
    }
    return null;
  }

  private async onFact(f: FactMessage, view: HallView): Promise<void> {
    switch (f.type) {
      case 'ticket:called':
      case 'ticket:recalled':
      case 'ticket:started':
      case 'ticket:finished':
      case 'ticket:no-show':
      case 'ticket:transferred':
      case 'counter:opened':
      case 'counter:paused':
      case 'counter:resumed':
      case 'counter:closed': {
        const counterId = f.counter.id;
        await this.drawCounter(counterId, view, f.type === 'ticket:recalled');
        if (f.type === 'ticket:finished') {
          const kp = this.keypadOf(counterId);
          if (kp) await this.startEvaluation(kp.line, kp.keypad, f.ticket.id);
        }
        return;
      }
      case 'queue:updated':
        // The keypads' waiting counts.
        for (const line of this.lines) for (const k of line.config.keypads) void this.drawKeypad(line, k, view, true);
        return;
      default:
        return;
    }
  }

  private async redrawAll(view: HallView): Promise<void> {
    for (const s of this.screens.keys()) await this.drawCounter(s, view, false);
    for (const line of this.lines) for (const k of line.config.keypads) await this.drawKeypad(line, k, view);
  }

  private async drawCounter(counterId: string, view: HallView, again: boolean): Promise<void> {
    const kp = this.keypadOf(counterId);
    if (kp) await this.drawKeypad(kp.line, kp.keypad, view);
    const screen = this.screens.get(counterId);
    if (!screen) return;
    const counter = view.counters.find((c) => c.id === counterId);
    if (!counter) return;
    const current = counter.currentTicketId ? view.tickets[counter.currentTicketId] : undefined;
    const c = screen.config;
    const text =
      counter.state !== 'open' && !current
        ? c.pausedText
        : current && (current.status === 'called' || current.status === 'serving')
          ? fillText(c.callText, current.number, counter.number)
          : fillText(c.idleText, '', counter.number);
    if (text === screen.shown && !again) return;
    await this.writeScreen(counterId, text);
  }

  private async writeScreen(counterId: string, text: string): Promise<void> {
    const screen = this.screens.get(counterId);
    if (!screen) return;
    if (!screen.driver) {
      screen.shown = null; // drawn once the screen is back
      return;
    }
    try {
      await screen.driver.show(text);
      screen.shown = text;
      for (const l of this.screenListeners) l(counterId, text);
    } catch (e) {
      this.stats.screenErrors++;
      const code = (e as { code?: string }).code;
      this.log?.warn({ counter: counterId, code }, 'window screen did not take the text');
      if (code === 'SCREEN_CLOSED' && screen.driver) {
        // The socket or line is gone: reopen, then draw again.
        const old = screen.driver;
        screen.driver = null;
        screen.shown = null;
        void old.close().catch(() => undefined);
        this.later(this.backoff[0], () => void this.openScreen(screen));
      }
    }
  }

  private async openScreen(s: { config: ScreenConfig; driver: WindowScreen | null; shown: string | null }, wait = 500) {
    if (this.closed) return;
    try {
      s.driver = await this.deps.openScreen(s.config);
      const view = this.link.view;
      if (view) await this.drawCounter(s.config.counter, view, true);
    } catch (e) {
      this.log?.warn({ counter: s.config.counter, err: (e as Error).message }, 'window screen cannot be opened; retrying');
      this.later(wait, () => void this.openScreen(s, Math.min(wait * 2, this.backoff[1])));
    }
  }

  private async drawKeypad(line: LineState, k: KeypadConfig, view: HallView, waitingOnly = false): Promise<void> {
    const bus = line.bus;
    if (!bus) return;
    const counter = view.counters.find((c) => c.id === k.counter);
    if (!counter) return;
    const current = counter.currentTicketId ? view.tickets[counter.currentTicketId] : undefined;
    const waiting = counter.serviceIds.reduce((n, s) => n + (view.queues[s]?.waiting ?? 0), 0);
    const shown = waitingOnly && !current ? { waiting } : { ticket: current?.number ?? null, waiting };
    const key = `${line.config.port}#${k.address}`;
    const text = JSON.stringify(shown);
    if (this.displayed.get(key) === text) return; // a display frame takes ~20 ms of a 9600 line
    try {
      await bus.showOnCaller(k.address, shown);
      this.displayed.set(key, text);
    } catch (e) {
      this.log?.warn({ counter: k.counter, err: (e as Error).message }, 'keypad display not written');
    }
  }

  private async startEvaluation(line: LineState, keypad: KeypadConfig, ticketId: string | null): Promise<void> {
    if (!keypad.evaluatorToken || !ticketId || !line.bus) return;
    const prior = this.evaluations.get(keypad.counter);
    if (prior) clearTimeout(prior.timer);
    const timer = setTimeout(() => {
      // 未评价: nothing is stored.
      if (this.evaluations.get(keypad.counter)?.ticketId === ticketId) this.evaluations.delete(keypad.counter);
    }, this.config.evaluationTimeoutSeconds * 1000);
    this.evaluations.set(keypad.counter, { ticketId, keypad, line, timer });
    try {
      await line.bus.startEvaluation(keypad.address);
    } catch (e) {
      this.log?.warn({ counter: keypad.counter, err: (e as Error).message }, 'evaluator not started');
    }
  }

  private async onRating(line: LineState, e: RatingEvent): Promise<void> {
    const keypad = line.config.keypads.find((k) => k.address === e.callerAddress);
    if (!keypad?.evaluatorToken) return;
    const pending = this.evaluations.get(keypad.counter);
    if (!pending) return; // a key pressed with no evaluation asked: ignored
    const level = evaluationLevel(keypad.evaluatorKeys, e.level);
    if (!level) return;
    clearTimeout(pending.timer);
    this.evaluations.delete(keypad.counter);
    const low = level === 'dissatisfied' || level === 'very_dissatisfied';
    const r = await this.link.api(keypad.evaluatorToken, 'POST', '/evaluations', {
      ticketId: pending.ticketId,
      level,
      ...(low ? { reasons: ['其他'], comment: '评价器按键评价（未选原因）' } : {}),
    });
    if (r.status === 201) this.stats.evaluations++;
    else this.log?.warn({ counter: keypad.counter, status: r.status, code: r.json?.error?.code }, 'evaluation not stored');
  }
}
