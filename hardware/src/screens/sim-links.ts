/**
 * What the window-screen simulators (Onbon, CP5200) share: the Ports they speak on (a serial line, or each
 * TCP connection of `listen`), each with its frame parser, and the counts of damaged frames and noise over
 * every link so far. The protocol itself stays in each simulator's `attach`.
 */
import net from 'node:net';
import { type Port, socketAsPort } from '../serial/port.js';

export interface SimLink {
  parser: { bad: number; skipped: number };
  /** Stops listening to the port. */
  off: () => void;
}

export class SimLinks<L extends SimLink> {
  readonly links = new Map<Port, L>();
  private server: net.Server | undefined;
  private readonly sockets = new Set<net.Socket>();
  private retiredBad = 0;
  private retiredSkipped = 0;

  /** `attach` speaks the protocol on a Port and adds its link here. */
  constructor(private readonly attach: (port: Port) => void) {}

  /** Listens on TCP (port 0: any free port), each connection a link; resolves with the port. */
  listen(port = 0, host = '127.0.0.1'): Promise<number> {
    const server = net.createServer((socket) => {
      this.sockets.add(socket);
      socket.setNoDelay(true);
      const p = socketAsPort(socket);
      this.attach(p);
      socket.on('error', () => undefined);
      socket.on('close', () => {
        this.sockets.delete(socket);
        this.detach(p);
      });
    });
    this.server = server;
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => {
        server.off('error', reject);
        resolve(this.port ?? 0);
      });
    });
  }

  /** The TCP port listened on, if any. */
  get port(): number | undefined {
    const addr = this.server?.address();
    return addr && typeof addr !== 'string' ? addr.port : undefined;
  }

  /** Damaged frames received (bad escape, length, checksum, cut short), on every link so far. */
  get badFrames(): number {
    let n = this.retiredBad;
    for (const { parser } of this.links.values()) n += parser.bad;
    return n;
  }

  /** Noise bytes received outside frames, on every link so far. */
  get skippedBytes(): number {
    let n = this.retiredSkipped;
    for (const { parser } of this.links.values()) n += parser.skipped;
    return n;
  }

  /** Sends raw bytes to every link (noise on the line). */
  async sendRaw(bytes: Uint8Array): Promise<void> {
    await Promise.all([...this.links.keys()].map((p) => p.write(bytes).catch(() => undefined)));
  }

  detach(port: Port): void {
    const link = this.links.get(port);
    if (!link) return;
    link.off();
    this.retiredBad += link.parser.bad;
    this.retiredSkipped += link.parser.skipped;
    this.links.delete(port);
  }

  async close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    const ports = [...this.links.keys()];
    for (const p of ports) this.detach(p);
    await Promise.all(ports.map((p) => p.close().catch(() => undefined)));
    const server = this.server;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
