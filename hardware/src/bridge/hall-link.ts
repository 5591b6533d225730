/**
 * The bridge's side of the queue server: HTTP v1 actions with each device's own token, and one live view of
 * the hall over socket.io (the snapshot, then ordered facts folded with the shared applyFact; a gap, a new
 * epoch or a reconnection asks for a new snapshot). Listeners hear the facts that drive the devices.
 */
import type { ClientToServerEvents, FactMessage, HallView, ServerToClientEvents, Snapshot } from '@yimen/shared';
import { applyFact, classifyFact, viewFromSnapshot } from '@yimen/shared';
import { io, type Socket } from 'socket.io-client';

export interface ApiAnswer {
  status: number;
  // biome-ignore lint/suspicious/noExplicitAny: answers are read by the caller per endpoint
  json: any;
}

export type LinkEvent =
  | { type: 'resynced'; view: HallView }
  | { type: 'fact'; fact: FactMessage; view: HallView }
  | { type: 'connection'; live: boolean };

export class HallLink {
  private socket: Socket<ServerToClientEvents, ClientToServerEvents> | null = null;
  private current: HallView | null = null;
  private readonly listeners = new Set<(e: LinkEvent) => void>();
  private resyncing = false;
  live = false;

  constructor(
    readonly serverUrl: string,
    /** The token the live view connects with (any of the bridge's device tokens). */
    private readonly watchToken: string,
    private readonly timeoutMs = 5000,
  ) {}

  get view(): HallView | null {
    return this.current;
  }

  on(listener: (e: LinkEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private emit(e: LinkEvent): void {
    for (const l of this.listeners) l(e);
  }

  /** Connects the live view; socket.io reconnects by itself (a server restart), each time with a new snapshot. */
  connect(): void {
    const socket: Socket<ServerToClientEvents, ClientToServerEvents> = io(this.serverUrl, {
      auth: { token: this.watchToken },
      transports: ['websocket'],
      reconnectionDelay: 500,
      reconnectionDelayMax: 5000,
    });
    this.socket = socket;
    socket.on('sync:snapshot', (s) => this.take(s));
    socket.on('sync:facts', (facts) => {
      for (const f of facts) this.fact(f);
    });
    socket.on('connect', () => {
      this.live = true;
      this.emit({ type: 'connection', live: true });
    });
    socket.on('disconnect', (reason) => {
      this.live = false;
      this.emit({ type: 'connection', live: false });
      // The server closing the socket (a restart) is not retried by socket.io itself.
      if (reason === 'io server disconnect') setTimeout(() => socket.connect(), 1000).unref?.();
    });
  }

  private take(s: Snapshot): void {
    this.current = viewFromSnapshot(s);
    this.resyncing = false;
    this.emit({ type: 'resynced', view: this.current });
  }

  private fact(f: FactMessage): void {
    const view = this.current;
    if (!view) return;
    const verdict = classifyFact(view, f);
    if (verdict === 'skip') return;
    if (verdict === 'resync') {
      this.resync();
      return;
    }
    this.current = applyFact(view, f);
    this.emit({ type: 'fact', fact: f, view: this.current });
  }

  private resync(): void {
    if (this.resyncing || !this.socket) return;
    this.resyncing = true;
    this.socket.emit('sync:snapshot', (a) => {
      if ('data' in a) this.take(a.data);
      else this.resyncing = false;
    });
  }

  /** An HTTP v1 call with a device's token; never throws (status 0: the server could not be reached). */
  async api(token: string, method: string, path: string, body?: unknown): Promise<ApiAnswer> {
    const headers: Record<string, string> = { authorization: `Bearer ${token}` };
    if (body !== undefined) headers['content-type'] = 'application/json';
    try {
      const r = await fetch(new URL(`/api/v1${path}`, this.serverUrl), {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      const text = await r.text();
      let json: unknown = null;
      try {
        json = text ? JSON.parse(text) : null;
      } catch {
        json = null;
      }
      return { status: r.status, json };
    } catch {
      return { status: 0, json: null };
    }
  }

  close(): void {
    this.socket?.close();
    this.socket = null;
  }
}
