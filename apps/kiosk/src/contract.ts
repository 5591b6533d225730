/**
 * The kiosk agent's local API: what the kiosk renderer may ask of the machine it runs on (the printer, the
 * ID-card reader) and what it hears back. One contract, two transports:
 *  - in Electron, preload exposes it as `window.kiosk` (IPC to the main process, which hosts the agent);
 *  - in a plain browser (`chromium --kiosk`), a socket.io connection to the agent on 127.0.0.1 with a key.
 * The renderer never touches Node, and never sees an ID number: the agent keeps the card's number and birth
 * date, sends them to the queue server when a ticket is taken, and shows the renderer only a masked name.
 *
 * Pure: no Node or DOM imports (the agent, preload and renderer all import it).
 */
import type { ErrorCode, Ticket } from '@yimen/shared';

export const AGENT_PROTOCOL_VERSION = 1;

/** The printer as the citizen's screen needs to know it. */
export type PrinterState =
  | 'ready'
  | 'paper-near-end'
  | 'paper-out'
  | 'cover-open'
  | 'offline'
  | 'error'
  /** No printer configured: the kiosk shows the number on screen only. */
  | 'absent';
/** States in which the kiosk issues tickets. */
export const PRINTABLE_STATES: readonly PrinterState[] = ['ready', 'paper-near-end'];

export type ReaderState = 'ready' | 'offline' | 'absent';

export type CardType = 'resident' | 'foreigner' | 'hmt' | 'foreigner2023';

/** What the renderer may know of the card on the reader: never the number, never the full name. */
export interface CardView {
  /** e.g. 张*, 欧阳** */
  maskedName: string;
  /** Age on the business day, from the card's birth date. */
  age: number | null;
  /** age ≥ the hall's elderlyAge: the ticket will have elderly priority. */
  elderly: boolean;
  cardType: CardType;
  /** ISO time of the read. The agent forgets the card 60 s after it, or when told to. */
  readAt: string;
}

export interface AgentStatus {
  agentProtocolVersion: typeof AGENT_PROTOCOL_VERSION;
  printer: {
    state: PrinterState;
    message: string;
    /** The last ticket did not come out of the printer (set until a print succeeds): the printer is not "fine". */
    lastPrintFailed?: boolean;
  };
  reader: { state: ReaderState; message: string };
  /** The card read and held now, if any. */
  card: CardView | null;
  /** Whether the agent reached the queue server on its last try. */
  server: { reachable: boolean };
  /** Paper width of the printer, mm. */
  paper: 58 | 80;
}

export interface TakeNumberRequest {
  serviceId: string;
  /** The renderer's idempotency key for this tap (the agent passes it to the server): a retry never issues twice. */
  requestId: string;
  /** Attach the card held now: the server gets its ID number (per-person limit, elderly priority). */
  useCard: boolean;
}

export interface TakeNumberResult {
  ticket: Ticket;
  /** The absolute address of the ticket's status page, the QR's content. */
  statusUrl: string;
  /** The ticket came out of the printer. */
  printed: boolean;
  /** Why it did not (the ticket is valid all the same: show the number and its QR large). */
  printError: KioskError | null;
}

/** Things the agent tells the renderer without being asked. */
export type AgentEvent =
  | { type: 'card:read'; card: CardView }
  | { type: 'card:cleared' }
  | { type: 'card:failed'; error: KioskError }
  | { type: 'status:changed'; status: AgentStatus };

/** The agent's own error codes (the queue server's codes, e.g. DAILY_CAP_REACHED, pass through as they are). */
export const AGENT_ERRORS = {
  PRINTER_PAPER_OUT: '打印纸已用完，暂停取号。请联系工作人员或到咨询台取号。',
  PRINTER_COVER_OPEN: '打印机盖未关好，暂停取号。请联系工作人员。',
  PRINTER_OFFLINE: '打印机未连接，暂停取号。请联系工作人员或到咨询台取号。',
  PRINTER_ERROR: '打印机故障，暂停取号。请联系工作人员或到咨询台取号。',
  PRINT_FAILED: '号票未能打印，但您的号码有效。请拍照记下您的号码。',
  SERVER_UNREACHABLE: '暂时无法连接排队系统，请稍后再试或到咨询台取号。',
  NO_CARD: '请先将身份证放在读卡区。',
  CARD_READ_FAILED: '身份证读取失败，请重新放置身份证。',
  AGENT_UNAUTHORIZED: '本机取号服务未授权，请联系工作人员。',
  INVALID_REQUEST: '请求格式不正确。',
} as const;
export type AgentErrorCode = keyof typeof AGENT_ERRORS;

/** An error the renderer shows: the agent's own code, or the queue server's (with its zh-CN message). */
export interface KioskError {
  code: AgentErrorCode | ErrorCode | 'INTERNAL';
  message: string;
}
export type KioskAck<T> = { data: T } | { error: KioskError };
type KioskAckFn<T> = (ack: KioskAck<T>) => void;

export function agentError(code: AgentErrorCode, message: string = AGENT_ERRORS[code]): KioskError {
  return { code, message };
}

/** The one object the renderer talks to (window.kiosk in Electron; a socket client in a browser). */
export interface KioskApi {
  status(): Promise<AgentStatus>;
  takeNumber(req: TakeNumberRequest): Promise<KioskAck<TakeNumberResult>>;
  /** Forget the card now (idle reset, 返回首页). */
  clearCard(): Promise<void>;
  /** Listen to the agent's events; returns the function that stops listening. */
  subscribe(listener: (e: AgentEvent) => void): () => void;
}

// ---------------------------------------------------------------- the browser transport (socket.io)

/** Agent → renderer. */
export interface AgentToRendererEvents {
  'agent:event': (e: AgentEvent) => void;
}

/** Renderer → agent, each acknowledged {data} | {error}. */
export interface RendererToAgentEvents {
  'agent:status': (ack: KioskAckFn<AgentStatus>) => void;
  'ticket:take': (req: TakeNumberRequest, ack: KioskAckFn<TakeNumberResult>) => void;
  'card:clear': (ack: KioskAckFn<null>) => void;
}

/** socket.io `auth` of a renderer connecting to the agent. */
export interface AgentAuth {
  key: string;
}

// ---------------------------------------------------------------- the Electron transport (IPC channels)

/** ipcRenderer.invoke channels and the main → renderer event channel; preload and main share these names. */
export const IPC = {
  status: 'kiosk:status',
  takeNumber: 'kiosk:take-number',
  clearCard: 'kiosk:clear-card',
  event: 'kiosk:event',
} as const;
