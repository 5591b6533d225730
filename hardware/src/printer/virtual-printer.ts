import net from 'node:net';
import { commandLength, type DecodedJob, decodeJob } from './decode.js';
import { canPrint, encodeStatusReply, type PrinterStatus, type StatusQuery } from './status.js';

export interface PrinterFaults {
  paperEnd: boolean;
  paperNearEnd: boolean;
  coverOpen: boolean;
  offline: boolean;
  error: boolean;
}

export interface ReceivedJob {
  /** The job's bytes, real-time status requests removed. */
  bytes: Uint8Array;
  decoded: DecodedJob;
  /** Ended with a cut; false when the connection closed or was dropped first. */
  complete: boolean;
  /** Whether a real printer in this state would have printed it. */
  printed: boolean;
  receivedAt: Date;
}

export interface VirtualPrinterOptions {
  port?: number;
  host?: string;
}

/** A virtual ESC/POS printer on TCP (9100 by default) that records jobs and answers DLE EOT. */
export class VirtualPrinter {
  readonly jobs: ReceivedJob[] = [];
  private faults: PrinterFaults = { paperEnd: false, paperNearEnd: false, coverOpen: false, offline: false, error: false };
  private dropAfter: number | undefined;
  private readonly server: net.Server;
  private readonly sockets = new Set<net.Socket>();
  private readonly jobListeners: Array<(job: ReceivedJob) => void> = [];

  constructor(private readonly opts: VirtualPrinterOptions = {}) {
    this.server = net.createServer((socket) => this.handle(socket));
  }

  /** Starts listening; resolves with the bound port. */
  listen(): Promise<number> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(this.opts.port ?? 9100, this.opts.host ?? '127.0.0.1', () => {
        this.server.off('error', reject);
        resolve(this.port);
      });
    });
  }

  get port(): number {
    const addr = this.server.address();
    if (addr === null || typeof addr === 'string') throw new Error('virtual printer is not listening');
    return addr.port;
  }

  get uri(): string {
    return `tcp://${this.opts.host ?? '127.0.0.1'}:${this.port}`;
  }

  close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  /** Injects (or clears) faults. */
  setFaults(f: Partial<PrinterFaults>): void {
    this.faults = { ...this.faults, ...f };
  }

  /** Drops (RST) the connection once the next job has received `bytes` bytes. */
  dropNextJobAfter(bytes: number): void {
    this.dropAfter = bytes;
  }

  get status(): PrinterStatus {
    const f = this.faults;
    return {
      online: !(f.offline || f.coverOpen || f.paperEnd || f.error),
      coverOpen: f.coverOpen,
      paperEnd: f.paperEnd,
      paperNearEnd: f.paperNearEnd,
      error: f.error,
    };
  }

  /** Resolves with the next job recorded (complete or not). */
  nextJob(timeoutMs = 5000): Promise<ReceivedJob> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no print job received')), timeoutMs);
      this.jobListeners.push((job) => {
        clearTimeout(timer);
        resolve(job);
      });
    });
  }

  private record(bytes: number[], complete: boolean): void {
    const job: ReceivedJob = {
      bytes: Uint8Array.from(bytes),
      decoded: decodeJob(bytes),
      complete,
      printed: complete && canPrint(this.status),
      receivedAt: new Date(),
    };
    this.jobs.push(job);
    const listeners = this.jobListeners.splice(0);
    for (const l of listeners) l(job);
  }

  private handle(socket: net.Socket): void {
    this.sockets.add(socket);
    let pending: number[] = [];
    let job: number[] = [];
    let dropped = false;
    socket.on('data', (chunk: Buffer) => {
      if (dropped) return;
      for (const b of chunk) pending.push(b);
      let i = 0;
      for (;;) {
        const len = commandLength(pending, i);
        if (len === 0) break;
        const cmd = pending.slice(i, i + len);
        i += len;
        if (cmd[0] === 0x10 && cmd[1] === 0x04) {
          const n = cmd[2] ?? 0;
          if (n >= 1 && n <= 4) socket.write(Uint8Array.of(encodeStatusReply(n as StatusQuery, this.status)));
          continue;
        }
        if (cmd[0] === 0x10) continue;
        job.push(...cmd);
        if (this.dropAfter !== undefined && job.length >= this.dropAfter) {
          this.dropAfter = undefined;
          dropped = true;
          this.record(job, false);
          job = [];
          socket.resetAndDestroy();
          return;
        }
        if (cmd[0] === 0x1d && cmd[1] === 0x56) {
          this.record(job, true);
          job = [];
        }
      }
      pending = pending.slice(i);
    });
    socket.on('error', () => undefined);
    socket.on('close', () => {
      this.sockets.delete(socket);
      if (!dropped && job.length + pending.length > 0) this.record([...job, ...pending], false);
    });
  }
}
