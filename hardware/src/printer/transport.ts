import { appendFile } from 'node:fs/promises';
import net from 'node:net';
import { fileURLToPath } from 'node:url';
import { decodeStatus, type PrinterStatus, STATUS_QUERIES, statusRequest } from './status.js';

export type PrinterErrorCode =
  | 'PRINTER_CONNECTION_REFUSED'
  | 'PRINTER_TIMEOUT'
  | 'PRINTER_UNKNOWN_SCHEME'
  | 'PRINTER_CONNECTION_LOST'
  | 'PRINTER_STATUS_UNSUPPORTED'
  | 'PRINTER_IO';

/** A transport error with a stable code and a message in zh-CN for the kiosk and the manager. */
export class PrinterError extends Error {
  constructor(
    readonly code: PrinterErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'PrinterError';
  }
}

export interface PrinterTransport {
  write(bytes: Uint8Array): Promise<void>;
  status(): Promise<PrinterStatus>;
  close(): Promise<void>;
}

export interface TransportOptions {
  /** Connect / reply timeout in ms (default 3000). */
  timeoutMs?: number;
  /**
   * After a TCP job, ask DLE EOT 1 and wait for the reply, so that a connection dropped
   * mid-job is reported by write() (default true).
   */
  confirm?: boolean;
}

/** Chooses a transport from a URI: tcp://host[:9100], file:/path, or a device path (/dev/usb/lp0). */
export function openTransport(uri: string, opts: TransportOptions = {}): PrinterTransport {
  if (uri.startsWith('tcp://')) {
    let url: URL;
    try {
      url = new URL(uri);
    } catch (cause) {
      throw new PrinterError('PRINTER_UNKNOWN_SCHEME', `打印机地址无效：${uri}`, { cause });
    }
    const host = url.hostname.replace(/^\[|\]$/g, '');
    if (!host) throw new PrinterError('PRINTER_UNKNOWN_SCHEME', `打印机地址缺少主机名：${uri}`);
    return new TcpTransport(host, url.port ? Number(url.port) : 9100, opts);
  }
  if (uri.startsWith('file:')) {
    const path = uri.startsWith('file://') ? fileURLToPath(uri) : uri.slice('file:'.length);
    if (!path.startsWith('/')) throw new PrinterError('PRINTER_UNKNOWN_SCHEME', `打印机文件路径须为绝对路径：${uri}`);
    return new FileTransport(path);
  }
  if (uri.startsWith('/')) return new FileTransport(uri);
  throw new PrinterError('PRINTER_UNKNOWN_SCHEME', `不支持的打印机地址：${uri}（支持 tcp://、file: 或设备路径如 /dev/usb/lp0）`);
}

/** Appends each job to a file or a device node (/dev/usb/lp0). Status cannot be read this way. */
export class FileTransport implements PrinterTransport {
  constructor(readonly path: string) {}

  async write(bytes: Uint8Array): Promise<void> {
    try {
      await appendFile(this.path, bytes);
    } catch (cause) {
      throw new PrinterError('PRINTER_IO', `写入打印机失败（${this.path}）：${(cause as Error).message}`, { cause });
    }
  }

  async status(): Promise<PrinterStatus> {
    throw new PrinterError('PRINTER_STATUS_UNSUPPORTED', `此打印机连接方式（${this.path}）不支持读取状态`);
  }

  async close(): Promise<void> {}
}

interface Waiter {
  resolve: (b: number) => void;
  reject: (e: Error) => void;
}

/** ESC/POS over a raw TCP socket (port 9100). Operations are serialised on one connection. */
export class TcpTransport implements PrinterTransport {
  private socket: net.Socket | undefined;
  private rx: number[] = [];
  private waiters: Waiter[] = [];
  private queue: Promise<unknown> = Promise.resolve();
  private readonly timeoutMs: number;
  private readonly confirm: boolean;

  constructor(
    readonly host: string,
    readonly port: number,
    opts: TransportOptions = {},
  ) {
    this.timeoutMs = opts.timeoutMs ?? 3000;
    this.confirm = opts.confirm ?? true;
  }

  private get where(): string {
    return `${this.host}:${this.port}`;
  }

  private serial<T>(op: () => Promise<T>): Promise<T> {
    const run = this.queue.then(op, op);
    this.queue = run.catch(() => undefined);
    return run;
  }

  private lost(cause?: unknown): PrinterError {
    return new PrinterError('PRINTER_CONNECTION_LOST', `打印中断：与打印机（${this.where}）的连接已断开`, { cause });
  }

  private connect(): Promise<net.Socket> {
    if (this.socket && !this.socket.destroyed) return Promise.resolve(this.socket);
    return new Promise((resolve, reject) => {
      const socket = net.createConnection({ host: this.host, port: this.port });
      socket.setNoDelay(true);
      const timer = setTimeout(() => {
        socket.destroy();
        reject(new PrinterError('PRINTER_TIMEOUT', `连接打印机超时（${this.where}，${this.timeoutMs} 毫秒）`));
      }, this.timeoutMs);
      const onConnectError = (err: NodeJS.ErrnoException) => {
        clearTimeout(timer);
        if (err.code === 'ECONNREFUSED') {
          reject(new PrinterError('PRINTER_CONNECTION_REFUSED', `无法连接打印机（${this.where}）：连接被拒绝`, { cause: err }));
        } else {
          reject(new PrinterError('PRINTER_IO', `无法连接打印机（${this.where}）：${err.message}`, { cause: err }));
        }
      };
      socket.once('error', onConnectError);
      socket.once('connect', () => {
        clearTimeout(timer);
        socket.off('error', onConnectError);
        this.socket = socket;
        this.rx = [];
        socket.on('data', (chunk: Buffer) => {
          for (const b of chunk) this.rx.push(b);
          this.flushWaiters();
        });
        const fail = (err?: Error) => {
          if (this.socket === socket) this.socket = undefined;
          const waiters = this.waiters;
          this.waiters = [];
          for (const w of waiters) w.reject(this.lost(err));
        };
        socket.on('error', fail);
        socket.on('close', () => fail());
        resolve(socket);
      });
    });
  }

  private flushWaiters(): void {
    while (this.waiters.length > 0 && this.rx.length > 0) {
      const w = this.waiters.shift();
      const b = this.rx.shift();
      if (w && b !== undefined) w.resolve(b);
    }
  }

  private readByte(socket: net.Socket): Promise<number> {
    return new Promise((resolve, reject) => {
      if (socket.destroyed) {
        reject(this.lost());
        return;
      }
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        reject(new PrinterError('PRINTER_TIMEOUT', `打印机未应答状态查询（${this.where}，${this.timeoutMs} 毫秒）`));
      }, this.timeoutMs);
      const waiter: Waiter = {
        resolve: (b) => {
          clearTimeout(timer);
          resolve(b);
        },
        reject: (e) => {
          clearTimeout(timer);
          reject(e);
        },
      };
      this.waiters.push(waiter);
      this.flushWaiters();
    });
  }

  private send(socket: net.Socket, bytes: Uint8Array): Promise<void> {
    return new Promise((resolve, reject) => {
      if (socket.destroyed) {
        reject(this.lost());
        return;
      }
      const onClose = () => reject(this.lost());
      socket.once('close', onClose);
      socket.write(bytes, (err) => {
        socket.off('close', onClose);
        if (err) reject(this.lost(err));
        else resolve();
      });
    });
  }

  private async query(socket: net.Socket, n: 1 | 2 | 3 | 4): Promise<number> {
    this.rx = [];
    const reply = this.readByte(socket);
    await this.send(socket, statusRequest(n)).catch((e: unknown) => {
      reply.catch(() => undefined);
      throw e;
    });
    return reply;
  }

  write(bytes: Uint8Array): Promise<void> {
    return this.serial(async () => {
      const socket = await this.connect();
      await this.send(socket, bytes);
      if (this.confirm) await this.query(socket, 1);
    });
  }

  status(): Promise<PrinterStatus> {
    return this.serial(async () => {
      const socket = await this.connect();
      const replies: number[] = [];
      for (const n of STATUS_QUERIES) replies.push(await this.query(socket, n));
      return decodeStatus(replies as [number, number, number, number]);
    });
  }

  close(): Promise<void> {
    return this.serial(async () => {
      const socket = this.socket;
      this.socket = undefined;
      if (!socket || socket.destroyed) return;
      await new Promise<void>((resolve) => {
        socket.once('close', () => resolve());
        socket.end();
        setTimeout(() => socket.destroy(), this.timeoutMs).unref();
      });
    });
  }
}
