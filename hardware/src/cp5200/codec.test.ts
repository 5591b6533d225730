import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeGb2312, encodeGb2312 } from '../onbon/gb2312.js';
import {
  type Cp5200Packet,
  checksum,
  DEFAULT_TEXT_PARAMS,
  decodeBody,
  decodePacket,
  decodeTextData,
  encodeBody,
  encodeCommandFrames,
  encodePacket,
  encodeReply,
  encodeTextData,
  encodeTextFrames,
  escapeBytes,
  FRAME_END,
  FRAME_START,
  FrameError,
  FrameParser,
  PacketAssembler,
  RESULT,
  resultName,
  TYPE_REPLY,
  unescapeBytes,
} from './codec.js';

const h = (s: string) => Buffer.from(s.replace(/\s+/g, ''), 'hex');

/** shared/reference/hall-devices.md §3: the vendor document's example, checksum 0x049A. */
const GOLDEN = h('A5 68 32 01 7B 01 13 00 00 00 12 00 00 01 00 00 03 02 FF 00 00 61 62 63 0D 63 62 61 00 9A 04 AE');

describe('golden frames', () => {
  it("the document's example comes out byte for byte (checksum 0x049A)", () => {
    const text = encodeGb2312('abc\ncba', { newline: 0x0d });
    const frames = encodeTextFrames(1, text, {
      window: 0,
      effect: 0,
      align: 1,
      speed: 0,
      stay: 3,
      font: 2,
      color: [0xff, 0x00, 0x00],
    });
    expect(frames.map((f) => f.toString('hex'))).toEqual([GOLDEN.toString('hex')]);
    expect(checksum(GOLDEN, 1, GOLDEN.length - 3)).toBe(0x049a);
  });

  it('the golden decodes to its fields', () => {
    const p = decodePacket(GOLDEN);
    expect(p).toMatchObject({ type: 0x68, cardType: 0x32, id: 1, protocol: 0x7b, flag: 1, packetNo: 0, lastPacketNo: 0 });
    const { params, text } = decodeTextData(p.data);
    expect(params).toEqual(DEFAULT_TEXT_PARAMS);
    expect(decodeGb2312(text, { newline: 0x0d })).toBe('abc\ncba');
  });

  it('stay is big-endian, the rest of the frame little-endian', () => {
    const d = encodeTextData(Buffer.from('A'), { stay: 0x0102, window: 3, color: [1, 2, 3] });
    expect(d).toEqual(h('12 03 00 01 00 01 02 02 01 02 03 41 00'));
    expect(decodeTextData(d).params.stay).toBe(0x0102);
  });

  it('escaping of A5, AE and AA', () => {
    expect(escapeBytes(h('A5 AE AA 00'))).toEqual(h('AA 05 AA 0E AA 0A 00'));
    expect(unescapeBytes(h('AA 05 AA 0E AA 0A 00'))).toEqual(h('A5 AE AA 00'));
    expect(() => unescapeBytes(h('AA 01'))).toThrow(FrameError);
    expect(() => unescapeBytes(h('00 AA'))).toThrow(FrameError);
  });

  it('a checksum that needs escaping is escaped too', () => {
    // find a text whose checksum has an A5/AE/AA byte
    for (let n = 0; n < 256; n++) {
      const frame = encodeTextFrames(1, Buffer.from([0x41 + (n % 26), 0x30 + (n >> 4)]), { speed: n })[0] as Buffer;
      const body = encodeBody({
        id: 1,
        flag: 1,
        data: encodeTextData(Buffer.from([0x41 + (n % 26), 0x30 + (n >> 4)]), { speed: n }),
      });
      const sum = body.subarray(-2);
      if (![...sum].some((b) => b === 0xa5 || b === 0xae || b === 0xaa)) continue;
      expect(frame.subarray(1, -1).includes(0xa5)).toBe(false);
      expect(decodePacket(frame).data).toEqual(body.subarray(9, -2));
      return;
    }
    throw new Error('no checksum with a special byte found');
  });

  it('replies: E8 (or 68) with the result in place of FLAG', () => {
    const r = decodePacket(encodeReply(1, RESULT.checksumError, { data: [0x12] }));
    expect(r).toMatchObject({ type: TYPE_REPLY, id: 1, flag: 1, data: Buffer.from([0x12]) });
    expect(decodePacket(encodeReply(1, 0, { type: 0x68 })).type).toBe(0x68);
    expect(() => decodeBody(escapeBytes(encodeBody({ type: 0x55, id: 1, flag: 0, data: Buffer.alloc(0) })))).toThrow(
      /neither 68 nor E8/,
    );
    expect(resultName(0)).toBe('OK');
    expect(resultName(1)).toBe('CHECKSUM_ERROR');
    expect(resultName(2)).toBe('SEQUENCE_ERROR');
    expect(resultName(9)).toBe('RESULT_0x09');
  });

  it('text cannot contain 00', () => {
    expect(() => encodeTextData(Buffer.from([0x41, 0x00]))).toThrow(RangeError);
  });

  it('long text goes out as packets PO 0…TP; only the first carries CC', () => {
    const text = Buffer.from('0123456789'.repeat(5).slice(0, 48)); // + 12 bytes of CC, parameters and 00 = 60
    const frames = encodeTextFrames(7, text, {}, { maxPacketData: 20 });
    const packets = frames.map((f) => decodePacket(f));
    expect(packets.map((p) => [p.packetNo, p.lastPacketNo, p.data.length])).toEqual([
      [0, 2, 20],
      [1, 2, 20],
      [2, 2, 20],
    ]);
    expect(packets[0]?.data[0]).toBe(0x12);
    expect(decodeTextData(Buffer.concat(packets.map((p) => p.data))).text).toEqual(text);
    expect(() => encodeCommandFrames(1, Buffer.alloc(300), { maxPacketData: 1 })).toThrow(/256/);
  });
});

describe('reassembly', () => {
  it('joins in order; a resent packet is acknowledged once; a gap is a sequence error', () => {
    const a = new PacketAssembler();
    expect(a.push(0, 2, Buffer.from('ab'))).toEqual({ result: 0 });
    expect(a.push(0 + 1, 2, Buffer.from('cd'))).toEqual({ result: 0 });
    expect(a.push(1, 2, Buffer.from('cd'))).toEqual({ result: 0, duplicate: true });
    expect(a.push(2, 2, Buffer.from('ef'))).toEqual({ result: 0, complete: Buffer.from('abcdef') });
    expect(a.push(0, 2, Buffer.from('ab')).result).toBe(0);
    expect(a.push(2, 2, Buffer.from('ef')).result).toBe(RESULT.sequenceError);
    expect(a.push(1, 2, Buffer.from('cd')).result).toBe(RESULT.sequenceError);
    expect(a.push(3, 2, Buffer.from('x')).result).toBe(RESULT.sequenceError);
    expect(a.push(0, 0, Buffer.from('z'))).toEqual({ result: 0, complete: Buffer.from('z') });
  });

  it('property: any command split into packets joins back', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 1, maxLength: 600 }), fc.integer({ min: 1, max: 300 }), (data, max) => {
        fc.pre(Math.ceil(data.length / max) <= 256);
        const a = new PacketAssembler();
        const steps = encodeCommandFrames(3, data, { maxPacketData: max })
          .map((f) => decodePacket(f))
          .map((p) => a.push(p.packetNo, p.lastPacketNo, p.data));
        expect(steps.every((s) => s.result === 0)).toBe(true);
        expect(steps.at(-1)?.complete).toEqual(Buffer.from(data));
      }),
    );
  });
});

// ---- properties ----

const arbPacket: fc.Arbitrary<Cp5200Packet> = fc.record({
  type: fc.constantFrom(0x68, 0xe8),
  cardType: fc.integer({ min: 0, max: 255 }),
  id: fc.integer({ min: 0, max: 255 }),
  protocol: fc.integer({ min: 0, max: 255 }),
  flag: fc.integer({ min: 0, max: 255 }),
  packetNo: fc.integer({ min: 0, max: 255 }),
  lastPacketNo: fc.integer({ min: 0, max: 255 }),
  data: fc
    .array(fc.oneof(fc.constantFrom(0xa5, 0xae, 0xaa, 0x05, 0x0e, 0x0a), fc.integer({ min: 0, max: 255 })), { maxLength: 120 })
    .map((a) => Buffer.from(a)),
});

function chunked(bytes: Buffer, cuts: number[]): Buffer[] {
  const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
  const out: Buffer[] = [];
  let last = 0;
  for (const p of points) {
    out.push(bytes.subarray(last, p));
    last = p;
  }
  out.push(bytes.subarray(last));
  return out;
}

describe('properties', () => {
  it('escaping is reversible for any bytes, and leaves no A5 or AE', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        const e = escapeBytes(bytes);
        expect(e.includes(FRAME_START)).toBe(false);
        expect(e.includes(FRAME_END)).toBe(false);
        expect(unescapeBytes(e)).toEqual(Buffer.from(bytes));
      }),
    );
  });

  it('every frame round-trips through the stream parser, however it is chunked, with noise between', () => {
    fc.assert(
      fc.property(
        fc.array(arbPacket, { minLength: 1, maxLength: 4 }),
        fc.array(fc.integer({ min: 0, max: 2000 }), { maxLength: 8 }),
        fc.uint8Array({ maxLength: 10 }).map((a) => Buffer.from(a.filter((b) => b !== FRAME_START))),
        (packets, cuts, noise) => {
          const stream = Buffer.concat(packets.flatMap((p) => [noise, encodePacket(p)]));
          const parser = new FrameParser();
          const got = chunked(stream, cuts).flatMap((c) => parser.push(c));
          expect(got).toEqual(packets.map((packet) => ({ ok: true, packet })));
          expect(parser.bad).toBe(0);
          expect(parser.skipped).toBe(noise.length * packets.length);
        },
      ),
    );
  });

  it('text round-trips (GB2312, line breaks as 0D)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom('请', 'A', '0', '号', '到', '窗', '口', ' ', '\n', 'ā', '·'), { maxLength: 60 }),
        fc.integer({ min: 1, max: 64 }),
        (chars, max) => {
          const text = chars.join('');
          const a = new PacketAssembler();
          let complete: Buffer | undefined;
          for (const f of encodeTextFrames(2, encodeGb2312(text, { newline: 0x0d }), {}, { maxPacketData: max })) {
            const p = decodePacket(f);
            complete = a.push(p.packetNo, p.lastPacketNo, p.data).complete ?? complete;
          }
          expect(decodeGb2312(decodeTextData(complete ?? Buffer.alloc(0)).text, { newline: 0x0d })).toBe(text);
        },
      ),
    );
  });

  /**
   * One byte of the escaped body (between A5 and AE: header, data and checksum, all covered by the checksum
   * or checking it) replaced by any other value. Every such frame is refused:
   *  - a plain byte → another plain byte: one byte changes by δ ≠ 0 (|δ| < 256), so the 16-bit sum changes;
   *    a changed checksum byte no longer matches; a changed type byte is refused unless it is 68↔E8, which
   *    the sum still catches;
   *  - a byte → AA, or an escape pair changed: a bad escape, a body one byte off its length field, or one
   *    changed byte (AA 05 ↔ AA 0E ↔ AA 0A) that the sum catches;
   *  - a byte → AE: the frame ends early (too short for its length); the rest is skipped as noise.
   * The exception is a byte → A5 (a frame start): the head is reported bad (when not empty) and the tail is
   * parsed as a frame of its own, which passes only if by chance it starts 68/E8, carries its own length and a
   * matching sum. The original frame is never delivered.
   */
  it('every single-byte corruption inside the checksummed part is detected (A5 cuts the frame instead)', () => {
    fc.assert(
      fc.property(arbPacket, fc.nat(), fc.integer({ min: 0, max: 255 }), (packet, at, value) => {
        const frame = encodePacket(packet);
        const i = 1 + (at % (frame.length - 2));
        fc.pre(frame[i] !== value);
        const bad = Buffer.from(frame);
        bad[i] = value;
        const parser = new FrameParser();
        const delivered = parser.push(bad).flatMap((g) => (g.ok ? [g.packet] : []));
        if (value !== FRAME_START) {
          expect(delivered).toEqual([]);
          expect(parser.bad).toBe(1);
        } else {
          expect(delivered).not.toContainEqual(packet);
          expect(parser.bad).toBe((i > 1 ? 1 : 0) + (delivered.length === 0 ? 1 : 0));
          if (delivered.length > 0) expect(delivered).toEqual([decodeBody(bad.subarray(i + 1, bad.length - 1))]);
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('a frame cut by a new A5 is counted, and the next frame still comes through', () => {
    const parser = new FrameParser();
    const got = parser.push(Buffer.concat([GOLDEN.subarray(0, 12), GOLDEN]));
    expect(got.map((g) => g.ok)).toEqual([false, true]);
    expect(parser.bad).toBe(1);
  });
});
