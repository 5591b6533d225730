/**
 * The renderer's side of the kiosk agent (contract.ts): `window.kiosk` in Electron; else a socket.io client
 * to the agent on 127.0.0.1 (`?agent=…&agentKey=…`); else "no agent": tickets are issued through the queue
 * server directly with the device token, nothing is printed (printer 'absent') and the number and its QR
 * are shown on screen.
 */
import { ApiFailure, api } from '@yimen/counter-display/lib/api.js';
import type { Ticket } from '@yimen/shared';
import { io, type Socket } from 'socket.io-client';
import {
  AGENT_ERRORS,
  AGENT_PROTOCOL_VERSION,
  type AgentEvent,
  type AgentStatus,
  type AgentToRendererEvents,
  agentError,
  type KioskAck,
  type KioskApi,
  PRINTABLE_STATES,
  type PrinterState,
  type RendererToAgentEvents,
  type TakeNumberRequest,
  type TakeNumberResult,
} from '../contract.js';

declare global {
  interface Window {
    /** Electron preload's bridge to the agent. */
    kiosk?: KioskApi;
  }
}

export type AgentMode = 'electron' | 'socket' | 'server';

/** The kiosk may issue: a printer ready (or nearly out of paper), or no printer at all (the number on screen). */
export function canIssue(state: PrinterState): boolean {
  return PRINTABLE_STATES.includes(state) || state === 'absent';
}

const AGENT_LOST = '本机取号服务未连接，暂停取号。请联系工作人员或到咨询台取号。';

/** What the renderer knows while the agent itself cannot be reached. */
export function unreachableStatus(message = AGENT_LOST): AgentStatus {
  return {
    agentProtocolVersion: AGENT_PROTOCOL_VERSION,
    printer: { state: 'offline', message },
    reader: { state: 'offline', message },
    card: null,
    server: { reachable: false },
    paper: 80,
  };
}

type AgentSocket = Socket<AgentToRendererEvents, RendererToAgentEvents>;

/** The agent over socket.io (a plain browser in kiosk mode). */
export class SocketAgent implements KioskApi {
  private readonly socket: AgentSocket;
  private readonly listeners = new Set<(e: AgentEvent) => void>();
  private lostMessage = AGENT_LOST;

  constructor(url: string, key: string) {
    this.socket = io(url, {
      transports: ['websocket'],
      auth: { key },
      reconnectionDelay: 500,
      reconnectionDelayMax: 3000,
    });
    this.socket.on('agent:event', (e) => this.emit(e));
    this.socket.on('connect', () => {
      this.lostMessage = AGENT_LOST;
      void this.status().then((status) => this.emit({ type: 'status:changed', status }));
    });
    this.socket.on('disconnect', () => this.emit({ type: 'status:changed', status: unreachableStatus(this.lostMessage) }));
    this.socket.on('connect_error', (e) => {
      const data = (e as Error & { data?: { code?: string } }).data;
      if (data?.code === 'AGENT_UNAUTHORIZED' || data?.code === 'UNAUTHENTICATED')
        this.lostMessage = AGENT_ERRORS.AGENT_UNAUTHORIZED;
      this.emit({ type: 'status:changed', status: unreachableStatus(this.lostMessage) });
    });
  }

  status(): Promise<AgentStatus> {
    if (!this.socket.connected) return Promise.resolve(unreachableStatus(this.lostMessage));
    return new Promise((resolve) => {
      this.socket.timeout(5000).emit('agent:status', (err, ack) => {
        if (err || !ack || 'error' in ack) resolve(unreachableStatus(this.lostMessage));
        else resolve(ack.data);
      });
    });
  }

  takeNumber(req: TakeNumberRequest): Promise<KioskAck<TakeNumberResult>> {
    if (!this.socket.connected) return Promise.resolve({ error: agentError('SERVER_UNREACHABLE', this.lostMessage) });
    return new Promise((resolve) => {
      // Printing takes a few seconds; past 30 s the tap is retried with the same requestId, never issued twice.
      this.socket.timeout(30_000).emit('ticket:take', req, (err, ack) => {
        if (err || !ack) resolve({ error: agentError('SERVER_UNREACHABLE') });
        else resolve(ack);
      });
    });
  }

  clearCard(): Promise<void> {
    if (!this.socket.connected) return Promise.resolve();
    return new Promise((resolve) => {
      this.socket.timeout(3000).emit('card:clear', () => resolve());
    });
  }

  subscribe(listener: (e: AgentEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  close(): void {
    this.socket.disconnect();
  }

  private emit(e: AgentEvent): void {
    for (const l of this.listeners) l(e);
  }
}

/** No agent on this machine: issue through the server with the device token; print nothing. */
export class ServerOnlyAgent implements KioskApi {
  constructor(
    private readonly token: string,
    private readonly serverReachable: () => boolean = () => true,
  ) {}

  async status(): Promise<AgentStatus> {
    return {
      agentProtocolVersion: AGENT_PROTOCOL_VERSION,
      printer: { state: 'absent', message: '本机不打印号票，号码将显示在屏幕上，请拍照记下。' },
      reader: { state: 'absent', message: '本机未配备身份证读卡器。' },
      card: null,
      server: { reachable: this.serverReachable() },
      paper: 80,
    };
  }

  async takeNumber(req: TakeNumberRequest): Promise<KioskAck<TakeNumberResult>> {
    if (req.useCard) return { error: agentError('NO_CARD') };
    try {
      const { ticket } = await api<{ ticket: Ticket }>('POST', '/tickets', this.token, {
        serviceId: req.serviceId,
        requestId: req.requestId,
      });
      return { data: { ticket, statusUrl: `${window.location.origin}${ticket.statusPath}`, printed: false, printError: null } };
    } catch (e) {
      if (e instanceof ApiFailure && e.code !== 'NETWORK') return { error: { code: e.code, message: e.message } };
      return { error: agentError('SERVER_UNREACHABLE') };
    }
  }

  async clearCard(): Promise<void> {}

  subscribe(): () => void {
    return () => {};
  }
}

/** Errors after which the same tap may be tried again with the same requestId. */
export function isRetryable(code: string): boolean {
  return code === 'SERVER_UNREACHABLE' || code === 'UNAVAILABLE' || code === 'INTERNAL' || code === 'NETWORK';
}

export function pickAgent(opts: {
  token: string;
  agentUrl: string | null;
  agentKey: string | null;
  serverReachable: () => boolean;
}): { agent: KioskApi; mode: AgentMode; close: () => void } {
  if (typeof window !== 'undefined' && window.kiosk) return { agent: window.kiosk, mode: 'electron', close: () => {} };
  if (opts.agentUrl && opts.agentKey) {
    const a = new SocketAgent(opts.agentUrl, opts.agentKey);
    return { agent: a, mode: 'socket', close: () => a.close() };
  }
  return { agent: new ServerOnlyAgent(opts.token, opts.serverReachable), mode: 'server', close: () => {} };
}
