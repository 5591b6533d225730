import { mkdtemp, readFile, rm } from 'node:fs/promises';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EscPosBuilder } from './escpos.js';
import { encodeTicket, type Ticket } from './ticket.js';
import { type FileTransport, openTransport, PrinterError, type PrinterTransport, TcpTransport } from './transport.js';
import { VirtualPrinter } from './virtual-printer.js';

const ticket: Ticket = {
  hallName: '一门政务服务大厅',
  serviceName: '社保业务',
  number: 'A023',
  peopleAhead: 5,
  estimatedWaitMinutes: 15,
  issuedAt: '2026-11-27T09:05:00+08:00',
  statusUrl: 'https://yimen.example/t/k7Qx9',
  footer: '过号请到咨询台重新排队',
  paper: 58,
};

let printer: VirtualPrinter;
let transport: PrinterTransport | undefined;

beforeEach(async () => {
  printer = new VirtualPrinter({ port: 0 });
  await printer.listen();
});
afterEach(async () => {
  await transport?.close();
  transport = undefined;
  await printer.close();
});

async function rejection(p: Promise<unknown>): Promise<PrinterError> {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(PrinterError);
  return e as PrinterError;
}

describe('encoder → TCP transport → virtual printer', () => {
  it('prints a ticket: the number in huge type and the QR payload equals the status URL', async () => {
    transport = openTransport(printer.uri);
    expect(await transport.status()).toEqual({
      online: true,
      coverOpen: false,
      paperEnd: false,
      paperNearEnd: false,
      error: false,
    });
    await transport.write(encodeTicket(ticket));
    expect(printer.jobs).toHaveLength(1);
    const job = printer.jobs[0];
    expect(job?.complete).toBe(true);
    expect(job?.printed).toBe(true);
    expect(Buffer.from(job?.bytes ?? []).equals(Buffer.from(encodeTicket(ticket)))).toBe(true);
    const d = job?.decoded;
    expect(d?.chineseMode).toBe(true);
    expect(d?.cut).toBe(true);
    expect(d?.qrCodes).toEqual([ticket.statusUrl]);
    const texts = d?.lines.map((l) => l.text) ?? [];
    expect(texts).toContain('一门政务服务大厅');
    expect(texts).toContain('前面还有 5 人');
    expect(texts).toContain('预计等候约 15 分钟');
    expect(texts).toContain('取号时间 2026-11-27 09:05');
    expect(texts).toContain('过号请到咨询台重新排队');
    expect(d?.lines.find((l) => l.text === 'A023')).toMatchObject({ width: 8, height: 8, bold: true, align: 'center' });
  });

  it('prints several jobs on one connection and characters outside GBK survive', async () => {
    transport = openTransport(printer.uri);
    await transport.write(encodeTicket({ ...ticket, number: 'A024', hallName: '𠀀门大厅' }));
    await transport.write(encodeTicket({ ...ticket, number: 'A025', paper: 80 }));
    expect(printer.jobs.map((j) => j.decoded.lines.find((l) => l.width === 8)?.text)).toEqual(['A024', 'A025']);
    expect(printer.jobs[0]?.decoded.lines[0]?.text).toBe('𠀀门大厅');
  });

  it('reports paper out, cover open and offline through DLE EOT', async () => {
    transport = openTransport(printer.uri);
    printer.setFaults({ paperEnd: true });
    const s = await transport.status();
    expect(s.paperEnd).toBe(true);
    expect(s.online).toBe(false);
    printer.setFaults({ paperEnd: false, paperNearEnd: true, coverOpen: true });
    expect(await transport.status()).toEqual({
      online: false,
      coverOpen: true,
      paperEnd: false,
      paperNearEnd: true,
      error: false,
    });
    printer.setFaults({ coverOpen: false, offline: true });
    expect((await transport.status()).online).toBe(false);
    printer.setFaults({ offline: false, paperNearEnd: false });
    expect((await transport.status()).online).toBe(true);
  });

  it('rejects write with PRINTER_CONNECTION_LOST when the connection drops mid-job, then recovers', async () => {
    transport = openTransport(printer.uri);
    printer.dropNextJobAfter(40);
    const e = await rejection(transport.write(encodeTicket(ticket)));
    expect(e.code).toBe('PRINTER_CONNECTION_LOST');
    expect(e.message).toMatch(/打印中断/);
    expect(printer.jobs[0]?.complete).toBe(false);
    // the next job reconnects
    await transport.write(encodeTicket(ticket));
    expect(printer.jobs[1]?.complete).toBe(true);
  });

  it('rejects with PRINTER_CONNECTION_REFUSED when nothing listens', async () => {
    const port = printer.port;
    await printer.close();
    printer = new VirtualPrinter({ port: 0 });
    await printer.listen();
    const t = openTransport(`tcp://127.0.0.1:${port}`, { timeoutMs: 1000 });
    const e = await rejection(t.write(Uint8Array.of(0x1b, 0x40)));
    expect(e.code).toBe('PRINTER_CONNECTION_REFUSED');
    expect(e.message).toMatch(/连接被拒绝/);
    await t.close();
  });

  it('times out when the printer does not answer a status query', async () => {
    const silent = net.createServer((s) => s.on('data', () => undefined));
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    const addr = silent.address() as net.AddressInfo;
    const t = new TcpTransport('127.0.0.1', addr.port, { timeoutMs: 150 });
    const e = await rejection(t.status());
    expect(e.code).toBe('PRINTER_TIMEOUT');
    expect(e.message).toMatch(/未应答/);
    await t.close();
    await new Promise<void>((r) => silent.close(() => r()));
  });
});

describe('openTransport', () => {
  it('rejects unknown schemes with a clear error', () => {
    for (const uri of ['http://printer', 'COM3', 'usb:0x0416', '']) {
      try {
        openTransport(uri);
        expect.unreachable();
      } catch (e) {
        expect(e).toBeInstanceOf(PrinterError);
        expect((e as PrinterError).code).toBe('PRINTER_UNKNOWN_SCHEME');
        expect((e as PrinterError).message).toMatch(/打印机地址/);
      }
    }
  });

  it('parses tcp with the default port 9100, file: and device paths', () => {
    const t = openTransport('tcp://192.168.1.50') as TcpTransport;
    expect([t.host, t.port]).toEqual(['192.168.1.50', 9100]);
    expect((openTransport('tcp://printer.local:9101') as TcpTransport).port).toBe(9101);
    expect((openTransport('/dev/usb/lp0') as FileTransport).path).toBe('/dev/usb/lp0');
    expect((openTransport('file:/tmp/t.bin') as FileTransport).path).toBe('/tmp/t.bin');
    expect((openTransport('file:///tmp/t.bin') as FileTransport).path).toBe('/tmp/t.bin');
  });

  it('file transport appends jobs; status is unsupported', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'yimen-printer-'));
    try {
      const path = join(dir, 'out.bin');
      const t = openTransport(`file:${path}`);
      await t.write(new EscPosBuilder().init().build());
      await t.write(encodeTicket(ticket));
      const data = await readFile(path);
      expect(data.subarray(0, 2).toString('hex')).toBe('1b40');
      expect(data.length).toBe(2 + encodeTicket(ticket).length);
      expect((await rejection(t.status())).code).toBe('PRINTER_STATUS_UNSUPPORTED');
      expect((await rejection(openTransport(join(dir, 'no/such/dir')).write(Uint8Array.of(0)))).code).toBe('PRINTER_IO');
      await t.close();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
