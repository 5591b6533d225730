/**
 * A screen's live connection (S1–S3): socket.io with the screen's token, a snapshot, then ordered facts
 * folded with the shared `applyFact`; a gap or a new epoch asks for a new snapshot. It reconnects by itself;
 * while cut off it says so (`status: 'offline'`) and the screens show "连接中断" instead of passing stale
 * data off as live. A revoked or unknown token ends in `status: 'revoked'`.
 */
import type { ClientToServerEvents, FactMessage, HallView, ServerToClientEvents, Snapshot } from '@yimen/shared';
import { applyFact, applyPresence, classifyFact, PROTOCOL_VERSION, viewFromSnapshot } from '@yimen/shared';
import { io, type Socket } from 'socket.io-client';

export type ConnectionStatus = 'connecting' | 'live' | 'offline' | 'revoked';

export interface ConnectionState {
  status: ConnectionStatus;
  view: HallView | null;
  /** The audience of the last snapshot: who this screen is to the server. */
  audience: Snapshot['audience'] | null;
}

export type HallSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

export class HallConnection {
  private state: ConnectionState = { status: 'connecting', view: null, audience: null };
  private readonly listeners = new Set<() => void>();
  private readonly factListeners = new Set<(f: FactMessage) => void>();
  private resyncing = false;
  readonly socket: HallSocket;

  constructor(token: string) {
    this.socket = io({ auth: { token }, transports: ['websocket'], reconnectionDelay: 500, reconnectionDelayMax: 5000 });
    this.socket.on('sync:snapshot', (s) => this.take(s));
    this.socket.on('sync:facts', (facts) => this.facts(facts));
    this.socket.on('session:revoked', () => this.revoked());
    this.socket.on('device:presence', (d) => {
      if (this.state.view) this.set({ view: applyPresence(this.state.view, d) });
    });
    this.socket.on('disconnect', (reason) => {
      if (this.state.status === 'revoked') return;
      this.set({ status: 'offline' });
      // socket.io does not reconnect after the server itself closed the socket; unless the token was
      // revoked (session:revoked came first), try again: the token is checked anew on connect.
      if (reason === 'io server disconnect') setTimeout(() => this.socket.connect(), 1000);
    });
    this.socket.on('connect_error', (e) => {
      const data = (e as Error & { data?: { code?: string } }).data;
      if (data?.code === 'UNAUTHENTICATED') this.revoked();
      else this.set({ status: 'offline' });
    });
  }

  getState = (): ConnectionState => this.state;

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  /** Every fact applied, in order (the hall screen's voice listens here). */
  onFact(listener: (f: FactMessage) => void): () => void {
    this.factListeners.add(listener);
    return () => this.factListeners.delete(listener);
  }

  close(): void {
    this.socket.disconnect();
  }

  private set(patch: Partial<ConnectionState>): void {
    this.state = { ...this.state, ...patch };
    for (const l of this.listeners) l();
  }

  private revoked(): void {
    this.set({ status: 'revoked', view: null });
    this.socket.disconnect();
  }

  private take(s: Snapshot): void {
    if (s.protocolVersion !== PROTOCOL_VERSION) {
      // A server of another protocol: reload the page to get the matching screen code.
      window.location.reload();
      return;
    }
    this.resyncing = false;
    this.set({ status: 'live', view: viewFromSnapshot(s), audience: s.audience });
  }

  /** The facts of one commit: folded together, then one render and the fact listeners in order. */
  private facts(facts: FactMessage[]): void {
    let view = this.state.view;
    if (!view || this.resyncing) return;
    const applied: FactMessage[] = [];
    for (const f of facts) {
      const verdict = classifyFact(view, f);
      if (verdict === 'skip') continue;
      if (verdict === 'resync') {
        this.resyncing = true;
        this.socket.emit('sync:snapshot', (ack) => {
          if ('data' in ack) this.take(ack.data);
          else this.resyncing = false;
        });
        return;
      }
      view = applyFact(view, f);
      applied.push(f);
    }
    if (applied.length === 0) return;
    this.set({ view });
    for (const f of applied) for (const l of this.factListeners) l(f);
  }
}
