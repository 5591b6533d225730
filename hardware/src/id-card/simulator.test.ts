import { describe, expect, it } from 'vitest';
import {
  decodeReply,
  decodeSamId,
  decodeTextBlock,
  encodeCommand,
  encodeTextBlock,
  FrameParser,
  type IdCardText,
} from './codec.js';
import type { Port } from './reader.js';
import { IdCardReaderSimulator } from './simulator.js';

/** An in-memory Port: what the simulator writes is parsed here. */
function harness() {
  let deliver: (b: Buffer) => void = () => undefined;
  const replies: Buffer[] = [];
  const parser = new FrameParser();
  const port: Port = {
    write: async (bytes) => {
      for (const f of parser.push(bytes)) replies.push(f.frame);
    },
    onData: (l) => {
      deliver = l;
      return () => undefined;
    },
    close: async () => undefined,
  };
  const sim = new IdCardReaderSimulator(port);
  const send = async (cmd: number, para: number) => {
    deliver(encodeCommand(cmd, para));
    await Promise.resolve();
    return replies.shift() as Buffer;
  };
  return { sim, send, deliver: (b: Buffer) => deliver(b), replies };
}

const text: IdCardText = {
  cardType: 'resident',
  name: '李四',
  sex: '1',
  nation: '03',
  birthDate: '19800101',
  address: '测试地址',
  idNumber: '110105198001010011',
  authority: '测试公安局',
  validFrom: '20100101',
  validTo: '20300101',
};

describe('simulator protocol details', () => {
  it('SAM status and SAM id answer the golden frames', async () => {
    const { send } = harness();
    expect((await send(0x11, 0xff)).toString('hex')).toBe('aaaaaa966900040000' + '9094');
    const id = await send(0x12, 0xff);
    expect(id.toString('hex').toUpperCase()).toBe('AAAAAA96690014000090050001' + '0009B8320105BE1200ADC5B11163');
    expect(decodeSamId(decodeReply(id).payload)).toBe('05.01-20101129-0001228293-0296863149');
  });

  it('a request with a bad checksum is answered with SW3 10 (golden)', async () => {
    const { deliver, replies } = harness();
    const bad = encodeCommand(0x20, 0x01);
    bad[bad.length - 1] = 0x23;
    deliver(bad);
    await Promise.resolve();
    expect(replies[0]?.toString('hex').toUpperCase()).toBe('AAAAAA9669000400001014');
  });

  it('enforces find → select → read, and select fails without a card', async () => {
    const { sim, send } = harness();
    expect(decodeReply(await send(0x20, 0x02)).sw3).toBe(0x81);
    sim.placeCard({ text });
    expect(decodeReply(await send(0x20, 0x02)).sw3).toBe(0x21);
    expect(decodeReply(await send(0x30, 0x01)).sw3).toBe(0x21);
    expect((await send(0x20, 0x01)).toString('hex').toUpperCase()).toBe('AAAAAA966900080000' + '9F0000000097');
    expect(decodeReply(await send(0x20, 0x02)).sw3).toBe(0x90);
    expect(decodeReply(await send(0x30, 0x03)).sw3).toBe(0x91);
    const withFp = decodeReply(await send(0x30, 0x10));
    expect(withFp.payload.subarray(0, 6).toString('hex')).toBe('010004000000');
    expect(decodeTextBlock(withFp.payload.subarray(6, 262))).toEqual(text);
    sim.removeCard();
    expect(decodeReply(await send(0x20, 0x01)).sw3).toBe(0x80);
  });

  it('accepts a raw text block and sends it unchanged', async () => {
    const { sim, send } = harness();
    const raw = encodeTextBlock(text);
    sim.placeCard({ text: raw });
    await send(0x20, 0x01);
    await send(0x20, 0x02);
    const r = await send(0x30, 0x01);
    expect(r.length).toBe(1295);
    expect(decodeReply(r).payload.subarray(4, 260).equals(raw)).toBe(true);
  });
});
