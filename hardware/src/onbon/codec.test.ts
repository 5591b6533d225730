import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ScreenError } from '../screens/window-screen.js';
import {
  ALIGN,
  CMD,
  crc16,
  DEFAULT_AREA,
  type DynamicArea,
  decodeBody,
  decodeCommand,
  decodeDynamicTextPayload,
  decodePacket,
  decodeReply,
  encodeBody,
  encodeClear,
  encodeCommand,
  encodeDynamicText,
  encodePacket,
  encodePing,
  encodeReply,
  encodeStatusQuery,
  errorName,
  escapeBytes,
  FRAME_END,
  FRAME_START,
  FrameError,
  FrameParser,
  HOST_ADDRESS,
  ONBON_ERROR,
  type OnbonPacket,
  PREAMBLE_LENGTH,
  unescapeBytes,
} from './codec.js';
import { decodeGb2312, encodeGb2312, isGb2312Cell } from './gb2312.js';

const h = (s: string) => Buffer.from(s.replace(/\s+/g, ''), 'hex');

/** shared/reference/hall-devices.md §2: 请A023号到5号窗口 on a 192×32 screen, screen 1 (CRC 0xC744). */
const GOLDEN_TEXT = h(
  'A5 A5 A5 A5 A5 A5 A5 A5 01 00 00 80 00 00 00 00 00 00 FE 02 35 00 A3 06 01 00 00 00 01 2C 00 00 00 00 00 00 18 00 20 00 ' +
    '00 00 00 02 00 00 00 0A 02 01 01 00 04 05 11 00 00 00 C7 EB 41 30 32 33 BA C5 B5 BD 35 BA C5 B4 B0 BF DA 44 C7 5A',
);

describe('golden frames', () => {
  it('请A023号到5号窗口 on 192×32, screen 1 comes out byte for byte (CRC 0xC744)', () => {
    const frame = encodeDynamicText(1, encodeGb2312('请A023号到5号窗口'), { width: 192, height: 32 });
    expect(frame.toString('hex')).toBe(GOLDEN_TEXT.toString('hex'));
  });

  it('the golden decodes to its fields', () => {
    const packet = decodePacket(GOLDEN_TEXT);
    expect(packet).toMatchObject({ dst: 1, src: HOST_ADDRESS, deviceType: 0xfe, protocolVersion: 2 });
    expect(packet.data.length).toBe(0x35);
    const cmd = decodeCommand(packet);
    expect([cmd.group, cmd.cmd, cmd.replyWanted]).toEqual([0xa3, 0x06, true]);
    const { deleteAreas, updates } = decodeDynamicTextPayload(cmd.payload);
    expect(deleteAreas).toEqual([]);
    expect(updates).toHaveLength(1);
    expect(updates[0]?.area).toEqual({ ...DEFAULT_AREA, width: 192, height: 32 });
    expect(updates[0]?.area.align).toBe(ALIGN.center);
    expect(decodeGb2312(updates[0]?.text ?? Buffer.alloc(0))).toBe('请A023号到5号窗口');
    const body = unescapeBytes(GOLDEN_TEXT.subarray(PREAMBLE_LENGTH, -1));
    expect(crc16(body, 0, body.length - 2)).toBe(0xc744);
  });

  // The examples in LuckyKoala/BX5KProtocol BX4K.c (CRC 68F8, 2D40, 51F8).
  it.each([
    ['ping', encodePing(1), '05 00 A2 00 01 00 00 68 F8'],
    ['status', encodeStatusQuery(1), '05 00 A1 02 01 00 00 2D 40'],
    ['clear', encodeClear(1), '05 00 A3 10 01 00 00 51 F8'],
  ])('%s', (_name, frame, tail) => {
    expect(frame.equals(h(`A5A5A5A5A5A5A5A5 01 00 00 80 00 00 00 00 00 00 FE 02 ${tail} 5A`))).toBe(true);
  });

  it('CRC-16/ARC check value', () => {
    expect(crc16(Buffer.from('123456789'))).toBe(0xbb3d);
    expect(crc16(Buffer.alloc(0))).toBe(0);
  });

  it('escaping of the four special bytes', () => {
    expect(escapeBytes(h('A5 A6 5A 5B 00'))).toEqual(h('A6 02 A6 01 5B 02 5B 01 00'));
    expect(unescapeBytes(h('A6 02 A6 01 5B 02 5B 01 00'))).toEqual(h('A5 A6 5A 5B 00'));
    expect(() => unescapeBytes(h('A6 03'))).toThrow(FrameError);
    expect(() => unescapeBytes(h('00 5B'))).toThrow(FrameError);
    expect(() => unescapeBytes(h('00 A5'))).toThrow(FrameError);
  });

  it('a reply: CmdGroup Cmd CmdError R R, errors named', () => {
    const frame = encodeReply(1, CMD.dynamicText, ONBON_ERROR.busy, undefined, { deviceType: 0x51 });
    const packet = decodePacket(frame);
    expect(packet).toMatchObject({ dst: HOST_ADDRESS, src: 1, deviceType: 0x51 });
    expect(decodeReply(packet)).toEqual({ group: 0xa3, cmd: 0x06, error: 3, payload: Buffer.alloc(0) });
    expect(errorName(0)).toBe('OK');
    expect(errorName(3)).toBe('BUSY');
    expect(errorName(5)).toBe('CRC_ERROR');
    expect(errorName(0x0c)).toBe('FONT_MISSING');
    expect(errorName(0x42)).toBe('ERROR_0x42');
  });

  it('no reply wanted: Reply byte 02', () => {
    expect(decodeCommand(decodePacket(encodeClear(0xffff, { reply: false }))).replyWanted).toBe(false);
    expect(decodePacket(encodeClear(0xffff, { reply: false })).data[2]).toBe(0x02);
  });

  it('geometry must be in 8-LED steps', () => {
    expect(() => encodeDynamicText(1, Buffer.from('x'), { width: 100 })).toThrow(RangeError);
    expect(() => encodeDynamicText(1, Buffer.from('x'), { x: 4 })).toThrow(RangeError);
  });

  it('X/W with the top bit set are in LEDs', () => {
    const payload = encodeDynamicText(1, Buffer.from('A'), { width: 64 });
    const cmd = decodeCommand(decodePacket(payload)).payload;
    const raw = Buffer.from(cmd);
    raw.writeUInt16LE(0x8000 | 60, 4 + 5); // W of the first area
    expect(decodeDynamicTextPayload(raw).updates[0]?.area.width).toBe(60);
  });
});

describe('GB2312 text', () => {
  it('encodes ASCII and GB2312 cells', () => {
    expect(encodeGb2312('请A023号')).toEqual(h('C7 EB 41 30 32 33 BA C5'));
    expect(encodeGb2312('ＡＢ·āé')).toEqual(h('A3 C1 A3 C2 A1 A4 A8 A1 A8 A6'));
    expect(decodeGb2312(encodeGb2312('窗口 Window 5'))).toBe('窗口 Window 5');
  });

  it.each([
    ['們', 'a GBK-only hanzi'],
    ['ⅰ', 'a GBK-only symbol in row 2'],
    ['€', 'the euro (cp936 0x80)'],
    ['😀', 'outside the BMP'],
    ['〇', 'GBK-only (A996)'],
    ['ñ', 'not in GB2312 (its pinyin row has é, not ñ)'],
    ['\t', 'a control character'],
    ['\n', 'a line break (Onbon: no newline code in the reference)'],
  ])('refuses %s (%s) with SCREEN_BAD_TEXT', (ch) => {
    const e = (() => {
      try {
        encodeGb2312(`请${ch}`);
      } catch (err) {
        return err;
      }
      return undefined;
    })();
    expect(e).toBeInstanceOf(ScreenError);
    expect((e as ScreenError).code).toBe('SCREEN_BAD_TEXT');
    expect((e as ScreenError).detail).toBe(ch);
  });

  it('the GB2312 cell table', () => {
    expect(isGb2312Cell(0xb0, 0xa1)).toBe(true); // 啊
    expect(isGb2312Cell(0xd7, 0xf9)).toBe(true); // 座, the last level-1 hanzi
    expect(isGb2312Cell(0xd7, 0xfa)).toBe(false);
    expect(isGb2312Cell(0xf7, 0xfe)).toBe(true);
    expect(isGb2312Cell(0xf8, 0xa1)).toBe(false);
    expect(isGb2312Cell(0xa2, 0xa1)).toBe(false);
    expect(isGb2312Cell(0xaa, 0xa1)).toBe(false);
    expect(isGb2312Cell(0x81, 0x40)).toBe(false);
  });

  it('property: every hanzi of GB2312 level 1 and 2 round-trips', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0xb0, max: 0xf7 }), fc.integer({ min: 0xa1, max: 0xfe }), (lead, trail) => {
        fc.pre(isGb2312Cell(lead, trail));
        const ch = decodeGb2312(Buffer.from([lead, trail]));
        expect(encodeGb2312(ch)).toEqual(Buffer.from([lead, trail]));
      }),
    );
  });
});

// ---- properties ----

const arbPacket: fc.Arbitrary<OnbonPacket> = fc.record({
  dst: fc.integer({ min: 0, max: 0xffff }),
  src: fc.integer({ min: 0, max: 0xffff }),
  deviceType: fc.integer({ min: 0, max: 255 }),
  protocolVersion: fc.integer({ min: 0, max: 255 }),
  reserved: fc.uint8Array({ minLength: 6, maxLength: 6 }).map((a) => Buffer.from(a)),
  // biased toward the bytes escaping touches
  data: fc
    .array(fc.oneof(fc.constantFrom(0xa5, 0xa6, 0x5a, 0x5b, 0x01, 0x02), fc.integer({ min: 0, max: 255 })), { maxLength: 120 })
    .map((a) => Buffer.from(a)),
});

/** Splits bytes into random chunks, as a serial line delivers them. */
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
  it('escaping is reversible for any bytes, and leaves no A5 or 5A', () => {
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
          expect(parser.pending).toBe(0);
        },
      ),
    );
  });

  it('commands, replies and dynamic-area text round-trip', () => {
    const arbArea: fc.Arbitrary<DynamicArea> = fc.record({
      type: fc.constant(0),
      x: fc.integer({ min: 0, max: 100 }).map((n) => n * 8),
      y: fc.integer({ min: 0, max: 0xffff }),
      width: fc.integer({ min: 1, max: 200 }).map((n) => n * 8),
      height: fc.integer({ min: 1, max: 0xffff }),
      areaNo: fc.integer({ min: 0, max: 255 }),
      lineSpace: fc.integer({ min: 0, max: 255 }),
      runMode: fc.integer({ min: 0, max: 5 }),
      areaTimeout: fc.integer({ min: 0, max: 0xffff }),
      voice: fc.constant(0),
      align: fc.integer({ min: 0, max: 15 }),
      singleLine: fc.constantFrom(1, 2),
      newLine: fc.constantFrom(1, 2),
      displayMode: fc.integer({ min: 1, max: 6 }),
      exitMode: fc.integer({ min: 0, max: 255 }),
      speed: fc.integer({ min: 0, max: 24 }),
      stay: fc.integer({ min: 0, max: 255 }),
    });
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 0xffff }),
        arbArea,
        fc.string({ maxLength: 40 }).map((s) => s.replace(/[^ -~]/g, '')),
        fc.boolean(),
        (address, area, text, reply) => {
          const frame = encodeDynamicText(address, encodeGb2312(text), area, { reply });
          const packet = decodePacket(frame);
          expect(packet.dst).toBe(address);
          const cmd = decodeCommand(packet);
          expect([cmd.group, cmd.cmd, cmd.replyWanted]).toEqual([0xa3, 0x06, reply]);
          const { updates } = decodeDynamicTextPayload(cmd.payload);
          expect(updates[0]?.area).toEqual(area);
          expect(decodeGb2312(updates[0]?.text ?? Buffer.alloc(0))).toBe(text);
        },
      ),
    );
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 0xfffd }),
        fc.integer({ min: 0, max: 255 }),
        fc.uint8Array({ maxLength: 40 }),
        (address, error, payload) => {
          const r = decodeReply(decodePacket(encodeReply(address, CMD.status, error, payload)));
          expect(r).toEqual({ group: 0xa1, cmd: 0x02, error, payload: Buffer.from(payload) });
          const c = decodeCommand(decodePacket(encodeCommand(address, CMD.ping, payload)));
          expect(c).toEqual({ group: 0xa2, cmd: 0x00, replyWanted: true, payload: Buffer.from(payload) });
        },
      ),
    );
  });

  /**
   * One byte of the escaped body (between the A5 run and the 5A: header, data and CRC, all covered by the CRC)
   * replaced by any other value. Every such frame is refused (nothing delivered, the frame counted bad):
   *  - a plain byte → another plain byte: one byte of header ‖ data ‖ CRC changes; CRC-16 catches every
   *    error of up to 16 bits;
   *  - a byte → A6/5B, or an escape pair's byte changed: either a bad escape, a body one byte longer or shorter
   *    than DataLen says, or (A6 01 ↔ A6 02, A6 ↔ 5B) one changed byte that the CRC catches;
   *  - a byte → 5A: the frame ends early; the head is too short for its DataLen, the tail is skipped as noise.
   * The one exception is a byte → A5 (a frame start): the frame is cut in two. The head is reported bad (when
   * not empty), and the tail is parsed as a new frame of its own, which passes only if, by chance, its bytes
   * carry a DataLen equal to its length and a matching CRC (about 2⁻¹⁶ once the length matches). The original
   * frame is never delivered.
   */
  it('every single-byte corruption inside the checksummed part is detected (A5 cuts the frame instead)', () => {
    fc.assert(
      fc.property(arbPacket, fc.nat(), fc.integer({ min: 0, max: 255 }), (packet, at, value) => {
        const frame = encodePacket(packet);
        const start = PREAMBLE_LENGTH;
        const i = start + (at % (frame.length - 1 - start));
        fc.pre(frame[i] !== value);
        const bad = Buffer.from(frame);
        bad[i] = value;
        const parser = new FrameParser();
        const got = parser.push(bad);
        const delivered = got.flatMap((g) => (g.ok ? [g.packet] : []));
        if (value !== FRAME_START) {
          expect(delivered).toEqual([]);
          expect(parser.bad).toBe(1);
        } else {
          expect(delivered).not.toContainEqual(packet);
          // the head (when not empty) is bad; the tail is either bad or, by chance, a frame of its own
          expect(parser.bad).toBe((i > start ? 1 : 0) + (delivered.length === 0 ? 1 : 0));
          if (delivered.length > 0) expect(delivered).toEqual([decodeBody(bad.subarray(i + 1, bad.length - 1))]);
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('a frame cut by a new A5 is counted, and the next frame still comes through', () => {
    const a = encodePing(1);
    const b = encodeClear(1);
    const parser = new FrameParser();
    const got = parser.push(Buffer.concat([a.subarray(0, 15), b]));
    expect(got.map((g) => g.ok)).toEqual([false, true]);
    expect(parser.bad).toBe(1);
  });

  it('a frame without an end is given up after MAX_ESCAPED_BODY bytes', () => {
    const parser = new FrameParser();
    parser.push(Buffer.concat([Buffer.from([0xa5]), Buffer.alloc(5000, 0x11)]));
    expect(parser.bad).toBe(1);
    expect(parser.pending).toBe(0);
    expect(parser.push(encodePing(1)).map((g) => g.ok)).toEqual([true]);
  });

  it('encodeBody is the unescaped frame body', () => {
    const p = { dst: 1, data: Buffer.from([0xa2, 0x00, 0x01, 0, 0]) };
    expect(escapeBytes(encodeBody(p))).toEqual(encodePacket(p).subarray(PREAMBLE_LENGTH, -1));
  });
});
