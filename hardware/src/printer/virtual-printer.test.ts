import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PNG } from 'pngjs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { statusRequest } from './status.js';
import { encodeTicket } from './ticket.js';
import { openTransport } from './transport.js';
import { type PrintedPngEntry, type ReceivedJob, VirtualPrinter } from './virtual-printer.js';

let printer: VirtualPrinter;
beforeEach(async () => {
  printer = new VirtualPrinter({ port: 0 });
  await printer.listen();
});
afterEach(() => printer.close());

const ticketFields = {
  hallName: '一门政务服务大厅',
  serviceName: '社保业务',
  number: 'B007',
  peopleAhead: 0,
  estimatedWaitMinutes: 0,
  issuedAt: '2026-11-27T09:05:00+08:00',
  statusUrl: 'https://yimen.example/t/zz',
  footer: '过号请到咨询台重新排队',
};
const ticket = encodeTicket({ ...ticketFields, paper: 80 });

it('parses jobs split at every byte, answering DLE EOT interleaved between commands', async () => {
  printer.setFaults({ paperNearEnd: true });
  const socket = net.createConnection({ host: '127.0.0.1', port: printer.port });
  socket.setNoDelay(true);
  await new Promise<void>((r) => socket.once('connect', () => r()));
  const replies: number[] = [];
  socket.on('data', (d: Buffer) => replies.push(...d));
  const half = 40; // between commands: after ESC @, FS &, ESC a, ESC E, GS ! and some text
  for (const b of ticket.subarray(0, half)) await new Promise<void>((r) => socket.write(Uint8Array.of(b), () => r()));
  const job = printer.nextJob();
  socket.write(statusRequest(4));
  socket.write(ticket.subarray(half));
  const received = await job;
  expect(Buffer.from(received.bytes).equals(Buffer.from(ticket))).toBe(true);
  expect(received.decoded.qrCodes).toEqual(['https://yimen.example/t/zz']);
  expect(received.printed).toBe(true);
  await new Promise((r) => setTimeout(r, 20));
  expect(replies).toEqual([0x1e]); // paper near end: bits 2,3
  socket.destroy();
});

it('records an unfinished job when the connection closes before the cut', async () => {
  const socket = net.createConnection({ host: '127.0.0.1', port: printer.port });
  await new Promise<void>((r) => socket.once('connect', () => r()));
  const job = printer.nextJob();
  socket.end(ticket.subarray(0, 100));
  const received = await job;
  expect(received.complete).toBe(false);
  expect(received.printed).toBe(false);
  expect(received.bytes.length).toBe(100);
});

describe('rendering jobs to PNG', () => {
  let dir: string;
  const printers: VirtualPrinter[] = [];
  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'yimen-printer-'));
  });
  afterEach(async () => {
    for (const p of printers.splice(0)) await p.close();
    await rm(dir, { recursive: true, force: true });
  });
  async function start(opts: ConstructorParameters<typeof VirtualPrinter>[0]): Promise<VirtualPrinter> {
    const p = new VirtualPrinter({ port: 0, ...opts });
    printers.push(p);
    await p.listen();
    return p;
  }
  const readIndex = async (d: string) => JSON.parse(await readFile(path.join(d, 'index.json'), 'utf8')) as PrintedPngEntry[];

  it('writes each job received over TCP as a PNG and lists it in index.json', async () => {
    const p = await start({ pngDir: dir, paper: 80 });
    const transport = openTransport(p.uri);
    const job = p.nextJob();
    await transport.write(ticket);
    await transport.close();
    const received = await job;
    await p.pngsWritten();
    const files = (await readdir(dir)).filter((f) => f.endsWith('.png'));
    expect(files).toHaveLength(1);
    expect(files[0]).toMatch(/^0001-\d{6}\.png$/);
    const png = PNG.sync.read(await readFile(path.join(dir, files[0] ?? '')));
    expect(png.width).toBe(576);
    expect(png.height).toBeGreaterThan(800);
    expect(await readIndex(dir)).toEqual([
      {
        file: files[0],
        receivedAt: received.receivedAt.toISOString(),
        complete: true,
        printed: true,
        lines: [
          '一门政务服务大厅',
          '社保业务',
          'B007',
          '无需等候，请留意叫号',
          '取号时间 2026-11-27 09:05',
          '过号请到咨询台重新排队',
        ],
      },
    ]);
  });

  it('keeps the newest jobs first, deletes PNGs past the limit and numbers on after a restart', async () => {
    const p = await start({ pngDir: dir, paper: 58, pngKeep: 2 });
    for (const n of ['A001', 'A002', 'A003']) {
      const transport = openTransport(p.uri);
      await transport.write(encodeTicket({ ...ticketFields, number: n, paper: 58 }));
      await transport.close();
    }
    await p.pngsWritten();
    const index = await readIndex(dir);
    expect(index.map((e) => e.lines[2])).toEqual(['A003', 'A002']);
    expect(index.map((e) => e.file.slice(0, 4))).toEqual(['0003', '0002']);
    expect((await readdir(dir)).filter((f) => f.endsWith('.png')).sort()).toEqual(index.map((e) => e.file).sort());

    await p.close();
    const again = await start({ pngDir: dir, paper: 58, pngKeep: 2 });
    const transport = openTransport(again.uri);
    await transport.write(encodeTicket({ ...ticketFields, number: 'A004', paper: 58 }));
    await transport.close();
    await again.pngsWritten();
    expect((await readIndex(dir)).map((e) => e.file.slice(0, 4))).toEqual(['0004', '0003']);
  });

  it('lists an unfinished job too, marked incomplete and not printed', async () => {
    const p = await start({ pngDir: dir });
    const socket = net.createConnection({ host: '127.0.0.1', port: p.port });
    await new Promise<void>((r) => socket.once('connect', () => r()));
    socket.end(ticket.subarray(0, 100));
    await p.nextJob();
    await p.pngsWritten();
    const [entry] = await readIndex(dir);
    expect(entry).toMatchObject({ complete: false, printed: false });
    expect(entry?.lines[0]).toBe('一门政务服务大厅');
  });

  it('reports a failed rendering through onError and goes on printing and answering status', async () => {
    const notADir = path.join(dir, 'file');
    await writeFile(notADir, 'x');
    const errors: Array<[unknown, ReceivedJob]> = [];
    const p = await start({ pngDir: path.join(notADir, 'png'), onError: (err, job) => errors.push([err, job]) });
    const transport = openTransport(p.uri);
    await transport.write(ticket);
    await p.pngsWritten();
    expect(errors).toHaveLength(1);
    expect(errors[0]?.[1]).toBe(p.jobs[0]);
    expect((await transport.status()).online).toBe(true);
    await transport.write(ticket);
    await transport.close();
    await p.pngsWritten();
    expect(p.jobs).toHaveLength(2);
    expect(errors).toHaveLength(2);
  });

  it('renders a job on demand with renderPng at its paper width', async () => {
    const p = await start({ paper: 58 });
    const transport = openTransport(p.uri);
    await transport.write(encodeTicket({ ...ticketFields, paper: 58 }));
    await transport.close();
    const png = PNG.sync.read(await p.renderPng(p.jobs[0] as ReceivedJob));
    expect(png.width).toBe(384);
    expect(await readdir(dir)).toEqual([]); // no pngDir: nothing written
  });
});
