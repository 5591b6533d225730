/**
 * A byte port: the one small interface every serial driver here works over (serialport on a real or pty
 * line, a TCP socket, or an in-memory pair), like serialport's bindings-interface.
 */
import type net from 'node:net';
import { SerialPort } from 'serialport';

export interface Port {
  write(bytes: Uint8Array): Promise<void>;
  /** Subscribes to incoming bytes; returns an unsubscribe function. */
  onData(listener: (chunk: Buffer) => void): () => void;
  /** The port ended by itself (a cable pulled, a device gone, the peer closed); returns an unsubscribe function. */
  onClose?(listener: (err?: Error) => void): () => void;
  close(): Promise<void>;
}

export interface SerialOptions {
  baudRate?: number;
  dataBits?: 5 | 6 | 7 | 8;
  parity?: 'none' | 'even' | 'odd';
  stopBits?: 1 | 2;
}

/** serialport (115200 8N1 unless told otherwise) as a Port. */
export async function openSerialPort(path: string, options: number | SerialOptions = 115200): Promise<Port> {
  const o = typeof options === 'number' ? { baudRate: options } : options;
  const sp = new SerialPort({
    path,
    baudRate: o.baudRate ?? 115200,
    dataBits: o.dataBits ?? 8,
    parity: o.parity ?? 'none',
    stopBits: o.stopBits ?? 1,
    autoOpen: false,
  });
  await new Promise<void>((resolve, reject) => sp.open((err) => (err ? reject(err) : resolve())));
  return serialPortAsPort(sp);
}

export function serialPortAsPort(sp: SerialPort): Port {
  // A driver-level failure (EIO: a USB adapter unplugged) is also emitted as 'error': without a listener
  // Node would throw it. It is reported through the write's callback and the 'close' that follows.
  sp.on('error', () => undefined);
  return {
    write: (bytes) =>
      new Promise<void>((resolve, reject) => {
        // A closed port would hold the write until an 'open' that never comes.
        if (!sp.isOpen) return reject(new Error(`serial port ${sp.path} is closed`));
        sp.write(Buffer.from(bytes), (err) => {
          if (err) return reject(err);
          sp.drain((e) => (e ? reject(e) : resolve()));
        });
      }),
    onData(listener) {
      sp.on('data', listener);
      return () => sp.off('data', listener);
    },
    onClose(listener) {
      const l = (err?: Error | null) => listener(err ?? undefined);
      sp.on('close', l);
      return () => sp.off('close', l);
    },
    close: () =>
      new Promise<void>((resolve) => {
        if (!sp.isOpen) return resolve();
        sp.close(() => resolve());
      }),
  };
}

/** A connected TCP socket as a Port. */
export function socketAsPort(socket: net.Socket): Port {
  return {
    write: (bytes) =>
      new Promise<void>((resolve, reject) => {
        if (socket.destroyed) return reject(new Error('socket closed'));
        socket.write(Buffer.from(bytes), (err) => (err ? reject(err) : resolve()));
      }),
    onData(listener) {
      socket.on('data', listener);
      return () => socket.off('data', listener);
    },
    onClose(listener) {
      const l = () => listener();
      socket.on('close', l);
      return () => socket.off('close', l);
    },
    close: () =>
      new Promise<void>((resolve) => {
        if (socket.destroyed) return resolve();
        socket.end(() => resolve());
        setTimeout(() => {
          socket.destroy();
          resolve();
        }, 500).unref();
      }),
  };
}
