/**
 * The kiosk agent: owns the printer and the ID-card reader, and takes numbers for the renderer.
 *
 * Taking a number (the order matters, and is the point):
 *  1. ask the printer (DLE EOT 1–4): out of paper, cover open, offline → refuse, issue nothing;
 *  2. issue at the server with the renderer's requestId (a retry never issues twice), the held card's ID
 *     number going straight from here to the server;
 *  3. print; a print that fails after the ticket was issued leaves the ticket valid: the answer says
 *     printed: false and the renderer shows the number and its QR large.
 * Every fault and recovery of the printer and the reader goes to the server as a device report (D1).
 */

import type { IdCard, IdCardReader } from '@yimen/hardware/id-card/reader';
import type { PrinterStatus } from '@yimen/hardware/printer/status';
import { canPrint } from '@yimen/hardware/printer/status';
import { encodeTicket } from '@yimen/hardware/printer/ticket';
import type { PrinterTransport } from '@yimen/hardware/printer/transport';
import type { DeviceFaultCode, HallInfo, IssueTicketBody, Service } from '@yimen/shared';
import { businessDayOf, isValidIdNumber, toShanghaiIso } from '@yimen/shared';
import { z } from 'zod';
import {
  AGENT_ERRORS,
  AGENT_PROTOCOL_VERSION,
  type AgentEvent,
  type AgentStatus,
  agentError,
  type KioskAck,
  type KioskApi,
  type KioskError,
  PRINTABLE_STATES,
  type PrinterState,
  type ReaderState,
  type TakeNumberRequest,
  type TakeNumberResult,
} from '../contract.js';
import { ageFrom, cardFingerprint, cardView, type HeldCard, HOLD_MS, holdCard } from './card.js';
import type { ServerClient } from './server-client.js';
import type { AgentSocket } from './socket.js';

export interface AgentLogger {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

export interface AgentDeps {
  server: ServerClient;
  printer: PrinterTransport | null;
  reader: IdCardReader | null;
  /** Opens the reader again after it was lost (unplugged, not there at start); absent: never. */
  openReader?: () => Promise<IdCardReader>;
  paper: 58 | 80;
  /** The address phones reach the server at (the QR). */
  publicUrl: string;
  clock?: () => number;
  logger?: AgentLogger;
  /** How often the reader is asked for a card, ms (default 400). */
  cardPollMs?: number;
  /** How often the printer's state is checked when idle, ms (default 5000). */
  printerPollMs?: number;
}

export interface KioskAgent extends KioskApi {
  close(): Promise<void>;
}

const TakeNumberSchema = z.strictObject({
  serviceId: z.string().regex(/^[A-Za-z0-9_.:-]{1,64}$/),
  requestId: z.string().regex(/^[A-Za-z0-9_.:@/+=-]{1,128}$/),
  useCard: z.boolean(),
});

/** The refusals say the same as the refused take (contract.ts AGENT_ERRORS): one message per state. */
const PRINTER_MESSAGES: Record<PrinterState, string> = {
  ready: '打印机正常',
  'paper-near-end': '打印纸即将用完',
  'paper-out': AGENT_ERRORS.PRINTER_PAPER_OUT,
  'cover-open': AGENT_ERRORS.PRINTER_COVER_OPEN,
  offline: AGENT_ERRORS.PRINTER_OFFLINE,
  error: AGENT_ERRORS.PRINTER_ERROR,
  absent: '本机不打印号票，号码显示在屏幕上',
};
const READER_MESSAGES: Record<ReaderState, string> = {
  ready: '请将身份证放在读卡区',
  offline: '身份证读卡器未连接',
  absent: '本机未配身份证读卡器',
};
const PRINTER_FAULT: Record<PrinterState, DeviceFaultCode | null> = {
  ready: null,
  absent: null,
  'paper-near-end': 'PAPER_NEAR_END',
  'paper-out': 'PAPER_OUT',
  'cover-open': 'COVER_OPEN',
  offline: 'PRINTER_OFFLINE',
  error: 'PRINTER_ERROR',
};
const REFUSAL = {
  'paper-out': 'PRINTER_PAPER_OUT',
  'cover-open': 'PRINTER_COVER_OPEN',
  offline: 'PRINTER_OFFLINE',
  error: 'PRINTER_ERROR',
} as const;

/** The printer's four status bytes as the citizen's screen needs them. */
export function printerStateOf(s: PrinterStatus): PrinterState {
  if (s.coverOpen) return 'cover-open';
  if (s.paperEnd) return 'paper-out';
  if (s.error) return 'error';
  if (!s.online) return 'offline';
  if (!canPrint(s)) return 'error';
  return s.paperNearEnd ? 'paper-near-end' : 'ready';
}

type Reported = { fault: DeviceFaultCode | null; detail: string | undefined; sent: boolean };

export class Agent implements KioskAgent {
  private readonly clock: () => number;
  private readonly log: AgentLogger | undefined;
  private readonly listeners = new Set<(e: AgentEvent) => void>();
  private printerState: PrinterState;
  private printFailed: string | null = null;
  private readerState: ReaderState;
  private card: HeldCard | null = null;
  /** A fingerprint of the card lying on the reader now (to read a placed card once); nothing personal. */
  private onReader: string | null = null;
  private serverReachable = true;
  private hall: HallInfo | null = null;
  private services = new Map<string, Service>();
  private readonly reported = new Map<'printer' | 'card-reader', Reported>();
  private readonly timers: NodeJS.Timeout[] = [];
  private polling: Promise<void> = Promise.resolve();
  private closed = false;
  /** The localhost socket for browser renderers, when the agent listens (closed with the agent). */
  socket: AgentSocket | null = null;

  constructor(private readonly deps: AgentDeps) {
    this.clock = deps.clock ?? Date.now;
    this.log = deps.logger;
    this.printerState = deps.printer ? 'ready' : 'absent';
    this.reader = deps.reader;
    this.readerState = deps.reader ? 'ready' : deps.openReader ? 'offline' : 'absent';
  }

  private reader: IdCardReader | null;
  private readerFailures = 0;
  private nextReaderOpen = 0;

  /** First checks, then the polls. */
  async start(): Promise<this> {
    await Promise.all([this.refreshHall(), this.checkPrinter()]);
    if (this.deps.reader || this.deps.openReader) this.every(this.deps.cardPollMs ?? 400, () => this.pollCard());
    if (!this.deps.reader && this.deps.openReader) void this.report('card-reader', 'READER_OFFLINE');
    if (this.deps.printer) this.every(this.deps.printerPollMs ?? 5000, () => this.checkPrinter().then(() => undefined));
    this.every(60_000, () => this.refreshHall());
    // Cut off from the server: try every 5 s, and send the reports that waited once it answers.
    this.every(5000, () => (this.serverReachable ? Promise.resolve() : this.refreshHall()));
    return this;
  }

  private every(ms: number, fn: () => Promise<void>): void {
    let running = false;
    const t = setInterval(() => {
      if (running || this.closed) return;
      running = true;
      this.polling = fn()
        .catch((e: unknown) => this.log?.error({ err: String(e) }, 'kiosk agent poll failed'))
        .finally(() => {
          running = false;
        });
    }, ms);
    t.unref();
    this.timers.push(t);
  }

  // ---------------------------------------------------------------- KioskApi

  async status(): Promise<AgentStatus> {
    this.expireCard();
    return this.statusNow();
  }

  private statusNow(): AgentStatus {
    const printer = this.printerState;
    return {
      agentProtocolVersion: AGENT_PROTOCOL_VERSION,
      printer: { state: printer, message: PRINTER_MESSAGES[printer], lastPrintFailed: this.printFailed !== null },
      reader: { state: this.readerState, message: READER_MESSAGES[this.readerState] },
      card: this.card ? this.view(this.card) : null,
      server: { reachable: this.serverReachable },
      paper: this.deps.paper,
    };
  }

  async takeNumber(req: TakeNumberRequest): Promise<KioskAck<TakeNumberResult>> {
    const parsed = TakeNumberSchema.safeParse(req);
    if (!parsed.success) return { error: agentError('INVALID_REQUEST') };
    const { serviceId, requestId, useCard } = parsed.data;
    this.expireCard();

    // 1. The printer first: a kiosk that cannot print issues nothing.
    if (this.deps.printer) {
      const state = await this.checkPrinter();
      if (!PRINTABLE_STATES.includes(state))
        return { error: agentError(REFUSAL[state as keyof typeof REFUSAL] ?? 'PRINTER_ERROR') };
    }

    // 2. Issue. The ID number goes from the card to the server and nowhere else.
    const body: IssueTicketBody = { serviceId, requestId };
    const card = useCard ? this.card : null;
    if (useCard) {
      if (!card) return { error: agentError('NO_CARD') };
      const day = businessDayOf(this.clock());
      if (card.cardType !== 'foreigner' && isValidIdNumber(card.idNumber, day)) body.idNumber = card.idNumber;
      else {
        // A foreigner's permit is no 居民身份证 number: the server cannot judge the age, the agent does (I9).
        const age = ageFrom(card.birthDate, day);
        if (age !== null && age >= (this.hall?.elderlyAge ?? 60)) body.priority = 'elderly';
      }
    }
    const issued = await this.deps.server.issue(body);
    this.setReachable(!('error' in issued) || issued.status !== 0);
    if ('error' in issued) return { error: issued.error };
    const ticket = issued.data.ticket;
    if (card) this.clearHeld();
    const statusUrl = new URL(ticket.statusPath, this.deps.publicUrl).toString();
    this.log?.info({ ticket: ticket.number, serviceId, withCard: card !== null }, 'ticket taken');

    // 3. Print. A failure here does not undo the ticket.
    if (!this.deps.printer) return { data: { ticket, statusUrl, printed: false, printError: null } };
    const printError = await this.print(ticket, statusUrl);
    return { data: { ticket, statusUrl, printed: printError === null, printError } };
  }

  async clearCard(): Promise<void> {
    this.clearHeld();
  }

  subscribe(listener: (e: AgentEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.socket?.close();
    for (const t of this.timers) clearInterval(t);
    await this.polling.catch(() => undefined);
    this.card = null;
    this.onReader = null;
    await Promise.all([this.deps.printer?.close(), this.reader?.close()]);
  }

  // ---------------------------------------------------------------- printing

  private async print(ticket: TakeNumberResult['ticket'], statusUrl: string): Promise<KioskError | null> {
    const printer = this.deps.printer;
    if (!printer) return null;
    if (!this.services.has(ticket.serviceId)) await this.refreshHall();
    const service = this.services.get(ticket.serviceId);
    const bytes = encodeTicket({
      hallName: this.hall?.name ?? '政务服务中心',
      serviceName: service?.name ?? ticket.serviceId,
      number: ticket.number,
      peopleAhead: ticket.peopleAhead,
      estimatedWaitMinutes: ticket.estimatedWaitMinutes,
      issuedAt: ticket.issuedAt,
      statusUrl,
      footer: this.hall?.ticketFooter ?? '过号请到咨询台重新排队',
      paper: this.deps.paper,
    });
    try {
      await printer.write(bytes);
    } catch (e) {
      const detail = `${ticket.number}：${(e as Error).message}`.slice(0, 200);
      this.log?.warn({ ticket: ticket.number, code: (e as { code?: string }).code }, 'ticket print failed');
      this.printFailed = detail;
      this.emit({ type: 'status:changed', status: this.statusNow() });
      void this.report('printer', 'PRINT_FAILED', detail);
      void this.checkPrinter();
      return agentError('PRINT_FAILED');
    }
    if (this.printFailed !== null) {
      this.printFailed = null;
      this.emit({ type: 'status:changed', status: this.statusNow() });
      void this.report('printer', PRINTER_FAULT[this.printerState]);
    }
    return null;
  }

  /** Asks the printer; reports a change; answers the state. */
  private async checkPrinter(): Promise<PrinterState> {
    const printer = this.deps.printer;
    if (!printer) return 'absent';
    let state: PrinterState;
    try {
      state = printerStateOf(await printer.status());
    } catch (e) {
      // A file or device path cannot be asked: it is taken as ready, and a failed write will say otherwise.
      state = (e as { code?: string }).code === 'PRINTER_STATUS_UNSUPPORTED' ? 'ready' : 'offline';
    }
    if (state !== this.printerState) {
      this.log?.info({ from: this.printerState, to: state }, 'printer state changed');
      this.printerState = state;
      this.emit({ type: 'status:changed', status: this.statusNow() });
    }
    // After a failed print the PRINT_FAILED report stands until a print succeeds; any other state is reported.
    if (this.printFailed === null || PRINTER_FAULT[state] !== null || this.reported.get('printer')?.fault !== 'PRINT_FAILED')
      void this.report('printer', PRINTER_FAULT[state]);
    return state;
  }

  // ---------------------------------------------------------------- the card reader

  private async pollCard(): Promise<void> {
    this.expireCard();
    const reader = this.reader;
    if (!reader) {
      // Lost or never found: open it again, every 5 s (wall time; the hall clock may be a test's).
      if (!this.deps.openReader || Date.now() < this.nextReaderOpen) return;
      try {
        this.reader = await this.deps.openReader();
        this.readerFailures = 0;
        this.setReader('ready');
      } catch {
        this.nextReaderOpen = Date.now() + 5000;
        this.setReader('offline');
      }
      return;
    }
    let card: IdCard | null;
    try {
      card = await reader.readCard();
      this.readerFailures = 0;
    } catch (e) {
      const code = (e as { code?: string }).code;
      // No answer, a closed driver, or the port itself failing (no reader code): the line is in doubt.
      if (code === 'TIMEOUT' || code === 'CLOSED' || code === undefined) {
        // Three silent polls in a row: the reader is gone (unplugged); close it and open it again.
        if (++this.readerFailures >= 3 && this.deps.openReader) {
          this.reader = null;
          this.nextReaderOpen = Date.now() + 1000;
          void reader.close().catch(() => undefined);
        }
        return this.setReader('offline');
      }
      this.setReader('ready');
      // A card that could not be read (moved too soon, a bad frame): ask the citizen to place it again.
      this.log?.warn({ code }, 'id card read failed');
      this.emit({ type: 'card:failed', error: agentError('CARD_READ_FAILED') });
      return;
    }
    this.setReader('ready');
    if (card === null) {
      this.onReader = null;
      return;
    }
    const print = cardFingerprint(card);
    if (this.onReader === print) return;
    this.onReader = print;
    this.card = holdCard(card, this.clock());
    this.log?.info({ cardType: card.text.cardType }, 'id card read');
    this.emit({ type: 'card:read', card: this.view(this.card) });
  }

  private setReader(state: ReaderState): void {
    if (state === this.readerState) return;
    this.readerState = state;
    this.emit({ type: 'status:changed', status: this.statusNow() });
    void this.report('card-reader', state === 'offline' ? 'READER_OFFLINE' : null);
  }

  private view(card: HeldCard) {
    const now = this.clock();
    return cardView(card, businessDayOf(now), this.hall?.elderlyAge ?? 60, toShanghaiIso);
  }

  private expireCard(): void {
    if (this.card && this.clock() - this.card.readAt >= HOLD_MS) this.clearHeld();
  }

  private clearHeld(): void {
    if (!this.card) return;
    this.card = null;
    this.emit({ type: 'card:cleared' });
  }

  // ---------------------------------------------------------------- the server

  private async refreshHall(): Promise<void> {
    const r = await this.deps.server.hall();
    this.setReachable(!('error' in r) || r.status !== 0);
    if ('error' in r) return;
    this.hall = r.data.hall;
    this.services = new Map(r.data.services.map((s) => [s.id, s]));
  }

  private setReachable(reachable: boolean): void {
    if (reachable === this.serverReachable) return;
    this.serverReachable = reachable;
    this.emit({ type: 'status:changed', status: this.statusNow() });
    // Reports that could not be sent are sent again once the server is back.
    if (reachable) for (const [component, r] of [...this.reported]) if (!r.sent) void this.resend(component, r);
  }

  /** Reports a component's state to the server when it changed (or the last report did not arrive). */
  private async report(component: 'printer' | 'card-reader', fault: DeviceFaultCode | null, detail?: string): Promise<void> {
    const last = this.reported.get(component);
    if (last && last.fault === fault && last.detail === detail) return;
    const r: Reported = { fault, detail, sent: false };
    this.reported.set(component, r);
    return this.resend(component, r);
  }

  /** Reports of one component go one after the other, so the server ends with the newest. */
  private readonly reportChain = new Map<string, Promise<void>>();

  private resend(component: 'printer' | 'card-reader', r: Reported): Promise<void> {
    const next = (this.reportChain.get(component) ?? Promise.resolve()).then(() => this.send(component, r));
    this.reportChain.set(component, next);
    return next;
  }

  private async send(component: 'printer' | 'card-reader', r: Reported): Promise<void> {
    if (this.reported.get(component) !== r || r.sent) return; // a newer report replaced it
    const sent = await this.deps.server.report({ component, fault: r.fault, ...(r.detail ? { detail: r.detail } : {}) });
    if ('error' in sent) {
      // Kept unsent: once the server answers again (setReachable) it goes again. Late, never lost.
      if (sent.status === 0) this.setReachable(false);
      else this.log?.warn({ component, code: sent.error.code }, 'device report refused');
      return;
    }
    r.sent = true;
    this.log?.info({ component, fault: r.fault }, 'device report sent');
  }

  private emit(e: AgentEvent): void {
    for (const l of this.listeners) {
      try {
        l(e);
      } catch (err) {
        this.log?.error({ err: String(err) }, 'an agent event listener threw');
      }
    }
  }
}
