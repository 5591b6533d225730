import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import { toShanghaiIso } from '@yimen/shared';
import { commandLength, type DecodedJob, decodeJob } from './decode.js';
import { renderJob } from './render.js';
import { canPrint, encodeStatusReply, type PrinterStatus, type StatusQuery } from './status.js';
import type { PaperWidth } from './ticket.js';

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
  /** When set, each recorded job is also rendered to `<pngDir>/<NNNN>-<HHMMSS>.png`, listed in `<pngDir>/index.json`. */
  pngDir?: string;
  /** Paper the rendering assumes (default 80). */
  paper?: PaperWidth;
  /** How many PNGs to keep in pngDir (default 200); older ones are deleted. */
  pngKeep?: number;
  /** Called when rendering or writing a PNG fails; the printer goes on regardless. */
  onError?: (err: unknown, job: ReceivedJob) => void;
}

/** One entry of `<pngDir>/index.json` (newest first). */
export interface PrintedPngEntry {
  /** File name inside pngDir, e.g. 0007-090512.png */
  file: string;
  /** ISO 8601 */
  receivedAt: string;
  complete: boolean;
  printed: boolean;
  /** The first text lines printed (up to 8, empty lines left out). */
  lines: string[];
}

const PNG_INDEX = 'index.json';
const INDEX_LINES = 8;

/** A virtual ESC/POS printer on TCP (9100 by default) that records jobs and answers DLE EOT. */
export class VirtualPrinter {
  readonly jobs: ReceivedJob[] = [];
  private faults: PrinterFaults = { paperEnd: false, paperNearEnd: false, coverOpen: false, offline: false, error: false };
  private dropAfter: number | undefined;
  private readonly server: net.Server;
  private readonly sockets = new Set<net.Socket>();
  private readonly jobListeners: Array<(job: ReceivedJob) => void> = [];
  private pngQueue: Promise<void> = Promise.resolve();
  private pngIndex: PrintedPngEntry[] | undefined;
  private pngSeq = 0;

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

  async close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
    await this.pngsWritten();
  }

  /** Renders a job as this printer's paper would show it (PNG). */
  renderPng(job: ReceivedJob | DecodedJob): Promise<Buffer> {
    return renderJob('decoded' in job ? job.decoded : job, { paper: this.opts.paper ?? 80 });
  }

  /** Resolves once every job recorded so far has been written to pngDir (or failed). */
  pngsWritten(): Promise<void> {
    return this.pngQueue;
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
    if (this.opts.pngDir !== undefined) {
      const dir = this.opts.pngDir;
      // After the job is recorded, off the socket's data handler; failures are reported, never thrown.
      this.pngQueue = this.pngQueue
        .then(() => new Promise<void>((resolve) => setImmediate(resolve)))
        .then(() => this.writePng(dir, job))
        .catch((err: unknown) => {
          try {
            this.opts.onError?.(err, job);
          } catch {
            // a throwing onError must not take the printer down either
          }
        });
    }
  }

  private async writePng(dir: string, job: ReceivedJob): Promise<void> {
    if (this.pngIndex === undefined) {
      await mkdir(dir, { recursive: true });
      this.pngIndex = await readIndex(dir);
      // continue numbering after the files a previous run left
      for (const e of this.pngIndex) this.pngSeq = Math.max(this.pngSeq, Number.parseInt(e.file, 10) || 0);
    }
    this.pngSeq += 1;
    const t = job.receivedAt;
    // The hall's time of day (Asia/Shanghai), whatever the machine's zone.
    const hhmmss = toShanghaiIso(t.getTime()).slice(11, 19).replaceAll(':', '');
    const file = `${String(this.pngSeq).padStart(4, '0')}-${hhmmss}.png`;
    const png = await this.renderPng(job);
    await writeFile(path.join(dir, file), png);
    const entry: PrintedPngEntry = {
      file,
      receivedAt: t.toISOString(),
      complete: job.complete,
      printed: job.printed,
      lines: job.decoded.lines
        .map((l) => l.text)
        .filter((l) => l.trim() !== '')
        .slice(0, INDEX_LINES),
    };
    const index = [entry, ...this.pngIndex];
    const keep = Math.max(1, this.opts.pngKeep ?? 200);
    const dropped = index.splice(keep);
    this.pngIndex = index;
    const tmp = path.join(dir, `${PNG_INDEX}.tmp`);
    await writeFile(tmp, `${JSON.stringify(index, null, 2)}\n`);
    await rename(tmp, path.join(dir, PNG_INDEX));
    for (const old of dropped) await rm(path.join(dir, path.basename(old.file)), { force: true });
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

async function readIndex(dir: string): Promise<PrintedPngEntry[]> {
  try {
    const parsed: unknown = JSON.parse(await readFile(path.join(dir, PNG_INDEX), 'utf8'));
    if (!Array.isArray(parsed)) return [];
    return parsed.filter((e): e is PrintedPngEntry => typeof e === 'object' && e !== null && typeof e.file === 'string');
  } catch {
    return [];
  }
}
