import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  BLANK,
  decodeFrame,
  decodeKeyPress,
  decodeRating,
  displayCodes,
  displayText,
  encodeBeep,
  encodeCallerDisplay,
  encodeEvaluatorAck,
  encodeFrame,
  encodeKeyPress,
  encodeRating,
  encodeStars,
  encodeStartEvaluation,
  evaluatorAddress,
  FrameError,
  FrameParser,
  functionOf,
  isEvaluatorAck,
  KeyCode,
  keyEcho,
  MAX_DATA,
  MAX_FRAME,
  PROFILES,
} from './codec.js';

const hex = (s: string) => Buffer.from(s.replace(/\s+/g, ''), 'hex');
const { jackqchen, hallquefront } = PROFILES;

describe('the reference frames, byte for byte (address 1)', () => {
  it('ticket 023 on a 6-position display', () => {
    const f = hex('FF 68 08 08 68 01 02 0A 0A 0A 00 02 03 26 16');
    expect(encodeCallerDisplay(1, { ticket: '023' })).toEqual(f);
    // Letters are dropped, digits right-aligned: A023 shows as 023.
    expect(encodeCallerDisplay(1, { ticket: 'A023' })).toEqual(f);
    expect(decodeFrame(f)).toEqual({ addr: 1, cmd: 2, data: hex('0A0A0A000203') });
    expect(displayText(decodeFrame(f).data)).toBe('   023');
  });

  it('waiting 012', () => {
    const f = hex('FF 68 08 08 68 01 02 00 01 02 0A 0A 0A 24 16');
    expect(encodeCallerDisplay(1, { waiting: 12 })).toEqual(f);
    expect(displayText(decodeFrame(f).data)).toBe('012   ');
  });

  it('beep', () => {
    expect(encodeBeep(1)).toEqual(hex('FF 68 02 02 68 01 03 04 16'));
  });

  it('evaluator reports 3 (from the caller address under JackQChen, from 0x81 under HallQueFront)', () => {
    const f = hex('FF 68 03 03 68 01 11 03 15 16');
    expect(encodeRating(1, 3, jackqchen)).toEqual(f);
    expect(decodeRating(decodeFrame(f), jackqchen)).toEqual({ callerAddress: 1, level: 3 });
    expect(decodeRating(decodeFrame(f), hallquefront)).toBeNull();
    const high = hex('FF 68 03 03 68 81 11 03 95 16');
    expect(encodeRating(1, 3, hallquefront)).toEqual(high);
    expect(decodeRating(decodeFrame(high), hallquefront)).toEqual({ callerAddress: 1, level: 3 });
  });

  it('start evaluation', () => {
    const f = hex('FF 68 03 03 68 01 01 0B 0D 16');
    expect(encodeStartEvaluation(1, jackqchen)).toEqual(f);
    // Byte for byte the echo of a bare 评价 key at address 1 (key CMD 0x01).
    expect(encodeKeyPress(1, [], KeyCode.evaluate, jackqchen)).toEqual(f);
    expect(encodeStartEvaluation(1, hallquefront)).toEqual(hex('FF 68 03 03 68 81 01 0B 8D 16'));
  });

  it('the evaluator acknowledgements of the two hosts', () => {
    const rating = decodeFrame(hex('FF 68 03 03 68 01 11 03 15 16'));
    expect(encodeEvaluatorAck(rating, jackqchen)).toEqual(hex('FF 68 03 03 68 01 01 03 05 16'));
    const high = decodeFrame(hex('FF 68 03 03 68 81 11 03 95 16'));
    expect(encodeEvaluatorAck(high, hallquefront)).toEqual(hex('68 02 02 68 81 01 82 16'));
    expect(isEvaluatorAck(decodeFrame(hex('68 02 02 68 81 01 82 16')), high, hallquefront)).toBe(true);
    expect(isEvaluatorAck(decodeFrame(hex('FF 68 03 03 68 01 01 03 05 16')), rating, jackqchen)).toBe(true);
    expect(isEvaluatorAck(decodeFrame(hex('FF 68 03 03 68 01 01 02 04 16')), rating, jackqchen)).toBe(false);
  });

  it('star level', () => {
    expect(encodeStars(1, 5, jackqchen)).toEqual(hex('FF 68 03 03 68 01 02 05 08 16'));
    expect(encodeStars(2, 3, hallquefront)).toEqual(hex('FF 68 03 03 68 82 02 03 87 16'));
    expect(() => encodeStars(1, 6)).toThrow(RangeError);
  });
});

describe('messages', () => {
  it('key presses: digits then the key; the key CMD is not checked unless strict', () => {
    const f = encodeKeyPress(3, [0, 5], KeyCode.start, hallquefront);
    expect(f).toEqual(hex('FF 68 05 05 68 03 01 00 05 0A 13 16'));
    expect(decodeKeyPress(decodeFrame(f), hallquefront)).toEqual({ digits: [0, 5], key: KeyCode.start });
    const otherCmd = encodeFrame(3, 0x07, [KeyCode.call]);
    expect(decodeKeyPress(decodeFrame(otherCmd), jackqchen)).toEqual({ digits: [], key: KeyCode.call });
    expect(decodeKeyPress(decodeFrame(otherCmd), { ...jackqchen, strictKeyCmd: true })).toBeNull();
    // Not key presses: an unknown key, a non-digit before the key, no data, an evaluator's frame.
    expect(decodeKeyPress(decodeFrame(encodeFrame(3, 1, [0x11])))).toBeNull();
    expect(decodeKeyPress(decodeFrame(encodeFrame(3, 1, [0x0a, 0x0c])))).toBeNull();
    expect(decodeKeyPress(decodeFrame(encodeFrame(3, 1, [])))).toBeNull();
    expect(decodeKeyPress(decodeFrame(encodeRating(3, 2, jackqchen)), jackqchen)).toBeNull();
    expect(decodeKeyPress(decodeFrame(encodeFrame(0x83, 1, [KeyCode.call])), hallquefront)).toBeNull();
    expect(keyEcho(f)).toEqual(f);
  });

  it('function digits per profile', () => {
    const fn = (digits: number[], p: (typeof PROFILES)[keyof typeof PROFILES]) =>
      functionOf({ digits, key: KeyCode.function }, p);
    expect(fn([6], jackqchen)).toBe('no-show');
    expect(fn([0], jackqchen)).toBe('hang');
    expect(fn([3], jackqchen)).toBe('call-back');
    expect(fn([1], jackqchen)).toBeUndefined();
    expect(fn([1, 2], jackqchen)).toBeUndefined();
    expect(fn([5], hallquefront)).toBe('no-show');
    expect(fn([0], hallquefront)).toBe('pause');
    expect(fn([4], hallquefront)).toBe('logout');
    expect(fn([1, 2, 3], hallquefront)).toBe('login');
    expect(functionOf({ digits: [6], key: KeyCode.call }, jackqchen)).toBeUndefined();
  });

  it('evaluator addresses per profile', () => {
    expect(evaluatorAddress(jackqchen, 5)).toBe(5);
    expect(evaluatorAddress(hallquefront, 5)).toBe(0x85);
    expect(() => evaluatorAddress(hallquefront, 0x80)).toThrow(RangeError);
  });

  it('display layouts', () => {
    expect(displayText(displayCodes({}))).toBe('      ');
    expect(displayText(displayCodes({ ticket: null, waiting: 0 }))).toBe('000   ');
    expect(displayText(displayCodes({ ticket: 'B107', waiting: 4 }))).toBe('004107');
    expect(displayText(displayCodes({ ticket: 'A1234', waiting: 4 }))).toBe('004234');
    expect(displayText(displayCodes({ ticket: 'A1234' }))).toBe('  1234');
    expect(displayText(displayCodes({ waiting: 12345 }))).toBe('999   ');
    expect(displayText(displayCodes({ ticket: 'VIP' }))).toBe('      ');
    expect(displayText(displayCodes({ ticket: 'A023', waiting: 7 }, 8))).toBe('0007 023');
    expect(displayText(displayCodes({ ticket: '23', waiting: 7 }, 5))).toBe('07 23');
    expect(() => displayCodes({ waiting: -1 })).toThrow(RangeError);
    expect(() => displayCodes({ waiting: 1.5 })).toThrow(RangeError);
    expect(() => displayCodes({}, 1)).toThrow(RangeError);
    expect(displayCodes({}, 4)).toEqual([BLANK, BLANK, BLANK, BLANK]);
  });

  it('rejects what does not fit in a byte', () => {
    expect(() => encodeFrame(256, 1)).toThrow(RangeError);
    expect(() => encodeFrame(1, 1, [300])).toThrow(RangeError);
    expect(() => encodeFrame(1, 1, new Uint8Array(MAX_DATA + 1))).toThrow(RangeError);
    expect(() => encodeKeyPress(0, [], KeyCode.call)).toThrow(RangeError);
    expect(() => encodeKeyPress(128, [], KeyCode.call)).toThrow(RangeError);
    expect(() => encodeKeyPress(1, [10], KeyCode.call)).toThrow(RangeError);
  });
});

describe('decodeFrame errors', () => {
  const f = hex('FF 68 03 03 68 01 11 03 15 16');
  const code = (b: Buffer) => {
    try {
      decodeFrame(b);
      return 'OK';
    } catch (e) {
      return (e as FrameError).code;
    }
  };
  it('names what is wrong', () => {
    expect(code(f)).toBe('OK');
    expect(code(f.subarray(1))).toBe('OK'); // no wake-up byte
    expect(code(hex('FF 68 03 04 68 01 11 03 15 16'))).toBe('BAD_LENGTH');
    expect(code(hex('FF 68 04 04 68 01 11 03 15 16'))).toBe('BAD_LENGTH');
    expect(code(hex('FF 68 01 01 68 01 15 16'))).toBe('BAD_LENGTH');
    expect(code(hex('FF 68 03 03 67 01 11 03 15 16'))).toBe('BAD_START');
    expect(code(hex('FE 68 03 03 68 01 11 03 15 16'))).toBe('BAD_START');
    expect(code(hex('FF 68 03 03 68 01 11 03 16 16'))).toBe('BAD_CHECKSUM');
    expect(code(hex('FF 68 03 03 68 01 11 03 15 00'))).toBe('BAD_TAIL');
    expect(code(hex(''))).toBe('BAD_START');
    expect(code(hex('FF 68 03'))).toBe('BAD_LENGTH');
  });
});

// ---------------------------------------------------------------- properties

const frameArb = fc.record({
  addr: fc.integer({ min: 0, max: 255 }),
  cmd: fc.integer({ min: 0, max: 255 }),
  data: fc.uint8Array({ maxLength: MAX_DATA }),
  wake: fc.boolean(),
});

/** A frame in which no byte after the header is 68: no other frame can begin inside it. */
const plainFrame = frameArb
  .map((f) => encodeFrame(f.addr, f.cmd, f.data, { wake: true }))
  .filter((b) => !b.subarray(5).includes(0x68));

describe('properties', () => {
  it('every frame round-trips', () => {
    fc.assert(
      fc.property(frameArb, ({ addr, cmd, data, wake }) => {
        const b = encodeFrame(addr, cmd, data, { wake });
        expect(b.length).toBe((wake ? 7 : 6) + 2 + data.length);
        expect(decodeFrame(b)).toEqual({ addr, cmd, data: Buffer.from(data) });
        const parsed = new FrameParser().push(b);
        expect(parsed).toEqual([{ ok: true, frame: { addr, cmd, data: Buffer.from(data) }, bytes: b }]);
      }),
      { numRuns: 1000 },
    );
  });

  /*
   * No escaping exists on this bus, so detection rests on the frame's redundancy. In
   * `FF 68 L L 68 ADDR CMD DATA… CS 16` a change of any one byte is caught by decodeFrame:
   *   byte 0 (FF) and 1, 4 (68)  → BAD_START  (the wake-up byte is optional, so a changed FF is a stray
   *                                 byte before a frame that starts at 68: see the parser case below)
   *   bytes 2, 3 (L, L)          → BAD_LENGTH (they differ)
   *   ADDR, CMD, DATA, CS        → BAD_CHECKSUM (a one-byte change moves the sum by 1…255 mod 256)
   *   the last byte (16)         → BAD_TAIL
   */
  it('decodeFrame detects every single-byte corruption, with the reason of its position', () => {
    fc.assert(
      fc.property(frameArb, fc.nat(), fc.integer({ min: 1, max: 255 }), ({ addr, cmd, data }, at, flip) => {
        const frame = encodeFrame(addr, cmd, data);
        const bad = Buffer.from(frame);
        const i = at % bad.length;
        bad[i] = (bad[i] as number) ^ flip;
        const want =
          i === 0 || i === 1 || i === 4
            ? 'BAD_START'
            : i === 2 || i === 3
              ? 'BAD_LENGTH'
              : i === bad.length - 1
                ? 'BAD_TAIL'
                : 'BAD_CHECKSUM';
        expect(() => decodeFrame(bad)).toThrow(FrameError);
        try {
          decodeFrame(bad);
        } catch (e) {
          expect((e as FrameError).code).toBe(want);
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('the parser: a corrupted frame is reported, never delivered, and the next frame still arrives', () => {
    fc.assert(
      fc.property(plainFrame, plainFrame, fc.nat(), fc.integer({ min: 1, max: 255 }), (frame, next, at, flip) => {
        const bad = Buffer.from(frame);
        const i = 1 + (at % (bad.length - 1)); // byte 0, the optional FF, is covered below
        bad[i] = (bad[i] as number) ^ flip;
        fc.pre(bad[i] !== 0x68);
        const out = new FrameParser().push(Buffer.concat([bad, next]));
        const good = out.filter((p) => p.ok);
        expect(good.map((p) => p.bytes)).toEqual([next]);
        expect(out.filter((p) => !p.ok).length).toBeGreaterThanOrEqual(1);
      }),
      { numRuns: 2000 },
    );
  });

  it('the parser: a frame whose FF is lost or changed still arrives (from its 68)', () => {
    fc.assert(
      fc.property(plainFrame, fc.integer({ min: 0, max: 254 }), (frame, x) => {
        const p = new FrameParser();
        expect(p.push(frame.subarray(1)).map((r) => r.ok && r.bytes)).toEqual([frame.subarray(1)]);
        const changed = Buffer.from(frame);
        changed[0] = x;
        const got = p.push(changed).filter((r) => r.ok);
        expect(got.map((r) => r.ok && r.frame)).toEqual([decodeFrame(frame)]);
      }),
      { numRuns: 500 },
    );
  });

  it('the parser: random garbage between frames loses no frame (garbage without 68: exactly the frames)', () => {
    const garbage = fc.uint8Array({ maxLength: 30 }).map((g) => Buffer.from(g.filter((x) => x !== 0x68)));
    fc.assert(
      fc.property(fc.array(fc.tuple(garbage, plainFrame), { maxLength: 8 }), garbage, (parts, end) => {
        const p = new FrameParser();
        const stream = Buffer.concat([...parts.flat(), end]);
        const got = p.push(stream);
        expect(got.filter((r) => r.ok).map((r) => r.bytes)).toEqual(parts.map(([, f]) => f));
        // Every garbage byte is accounted for (a trailing FF may wait for its 68).
        const held = p.pending;
        expect(p.skipped + held).toBe(parts.reduce((n, [g]) => n + g.length, 0) + end.length);
        expect(held).toBeLessThanOrEqual(1);
      }),
      { numRuns: 500 },
    );
  });

  it('the parser: arbitrary garbage (68s included) between frames, fed in arbitrary chunks, loses no frame', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.uint8Array({ maxLength: 40 }), plainFrame), { minLength: 1, maxLength: 8 }),
        fc.array(fc.integer({ min: 1, max: 40 }), { minLength: 1, maxLength: 20 }),
        (parts, cuts) => {
          const p = new FrameParser();
          const stream = Buffer.concat(parts.flatMap(([g, f]) => [Buffer.from(g), f]));
          const got: Buffer[] = [];
          let at = 0;
          for (let i = 0; at < stream.length; i++) {
            const n = cuts[i % cuts.length] as number;
            for (const r of p.push(stream.subarray(at, at + n))) if (r.ok) got.push(r.bytes);
            at += n;
            expect(p.pending).toBeLessThanOrEqual(MAX_FRAME);
          }
          // Each frame arrives, in order (garbage may hold frames of its own).
          let j = 0;
          for (const f of got) if (j < parts.length && f.equals((parts[j] as [Uint8Array, Buffer])[1])) j++;
          expect(j).toBe(parts.length);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('the parser: 10,000 random bytes never throw, are reported as bad, and a frame after them arrives', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 10_000, maxLength: 10_000 }), fc.integer({ min: 1, max: 512 }), (noise, chunk) => {
        const p = new FrameParser();
        let bad = 0;
        for (let at = 0; at < noise.length; at += chunk) {
          for (const r of p.push(noise.subarray(at, at + chunk))) if (!r.ok) bad++;
          expect(p.pending).toBeLessThanOrEqual(MAX_FRAME);
        }
        expect(bad).toBeGreaterThan(0);
        const key = encodeKeyPress(3, [], KeyCode.call);
        const after = p.push(key).filter((r) => r.ok);
        expect(after.at(-1)?.bytes).toEqual(key);
      }),
      { numRuns: 20 },
    );
  });
});

describe('parser details', () => {
  it('a noise header cannot hold back a frame that follows it', () => {
    const p = new FrameParser();
    // 68 30 30 68 announces 54 bytes; the key frame after it is complete and valid.
    const key = encodeKeyPress(1, [], KeyCode.call);
    const out = p.push(Buffer.concat([hex('68 30 30 68 01'), key]));
    expect(out.map((r) => (r.ok ? 'ok' : r.reason))).toEqual(['BAD_LENGTH', 'ok']);
    expect(out[1]?.bytes).toEqual(key);
    expect(p.pending).toBe(0);
  });

  it('a frame split across pushes, byte by byte', () => {
    const p = new FrameParser();
    const f = encodeCallerDisplay(7, { ticket: '042', waiting: 3 });
    const out = [...f].flatMap((b) => p.push(Uint8Array.of(b)));
    expect(out).toEqual([{ ok: true, frame: decodeFrame(f), bytes: f }]);
  });

  it('flush drops an incomplete frame', () => {
    const p = new FrameParser();
    expect(p.push(hex('FF 68 08 08 68 01 02'))).toEqual([]);
    expect(p.pending).toBe(7);
    expect(p.flush().map((r) => !r.ok && r.reason)).toEqual(['BAD_LENGTH']);
    expect(p.pending).toBe(0);
  });
});
