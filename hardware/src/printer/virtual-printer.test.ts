import net from 'node:net';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { statusRequest } from './status.js';
import { encodeTicket } from './ticket.js';
import { VirtualPrinter } from './virtual-printer.js';

let printer: VirtualPrinter;
beforeEach(async () => {
  printer = new VirtualPrinter({ port: 0 });
  await printer.listen();
});
afterEach(() => printer.close());

const ticket = encodeTicket({
  hallName: '一门政务服务大厅',
  serviceName: '社保业务',
  number: 'B007',
  peopleAhead: 0,
  estimatedWaitMinutes: 0,
  issuedAt: '2026-11-27T09:05:00+08:00',
  statusUrl: 'https://yimen.example/t/zz',
  footer: '过号请到咨询台重新排队',
  paper: 80,
});

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
