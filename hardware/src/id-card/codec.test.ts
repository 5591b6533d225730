import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type CardType,
  CMD,
  decodeCommand,
  decodeFrameBody,
  decodeReply,
  decodeSamId,
  decodeTextBlock,
  decodeTextPhoto,
  encodeCommand,
  encodeFrame,
  encodeReply,
  encodeTextBlock,
  encodeTextPhoto,
  FrameError,
  FrameParser,
  fieldCapacity,
  type IdCardText,
  sexLabel,
  TextBlockError,
} from './codec.js';

const h = (s: string) => Buffer.from(s.replace(/\s+/g, ''), 'hex');

describe('golden request frames', () => {
  const cases: [string, readonly [number, number], string, number[]?][] = [
    ['reset SAM', CMD.resetSam, 'AA AA AA 96 69 00 03 10 FF EC'],
    ['SAM status', CMD.samStatus, 'AA AA AA 96 69 00 03 11 FF ED'],
    ['SAM id', CMD.samId, 'AA AA AA 96 69 00 03 12 FF EE'],
    ['find card', CMD.findCard, 'AA AA AA 96 69 00 03 20 01 22'],
    ['select card', CMD.selectCard, 'AA AA AA 96 69 00 03 20 02 21'],
    ['read text + photo', CMD.readTextPhoto, 'AA AA AA 96 69 00 03 30 01 32'],
    ['read with fingerprints', CMD.readTextPhotoFingerprints, 'AA AA AA 96 69 00 03 30 10 23'],
    ['read appended address', CMD.readAppendedAddress, 'AA AA AA 96 69 00 03 30 03 30'],
    ['set max RF frame size', [0x61, 0xff], 'AA AA AA 96 69 00 04 61 FF 50 CA', [0x50]],
  ];
  for (const [name, [cmd, para], golden, data] of cases) {
    it(name, () => {
      const frame = encodeCommand(cmd, para, Buffer.from(data ?? []));
      expect(frame.equals(h(golden))).toBe(true);
      const back = decodeCommand(h(golden));
      expect([back.cmd, back.para, [...back.data]]).toEqual([cmd, para, data ?? []]);
    });
  }
});

describe('golden reply frames', () => {
  const cases: [string, string, number, number[]][] = [
    ['SAM status ok', 'AA AA AA 96 69 00 04 00 00 90 94', 0x90, []],
    ['card found', 'AA AA AA 96 69 00 08 00 00 9F 00 00 00 00 97', 0x9f, [0, 0, 0, 0]],
    ['no card', 'AA AA AA 96 69 00 04 00 00 80 84', 0x80, []],
    ['select failed', 'AA AA AA 96 69 00 04 00 00 81 85', 0x81, []],
    ['checksum wrong', 'AA AA AA 96 69 00 04 00 00 10 14', 0x10, []],
    ['empty', 'AA AA AA 96 69 00 04 00 00 91 95', 0x91, []],
    ['read failed', 'AA AA AA 96 69 00 04 00 00 41 45', 0x41, []],
  ];
  for (const [name, golden, sw3, data] of cases) {
    it(name, () => {
      expect(encodeReply(sw3, Buffer.from(data)).equals(h(golden))).toBe(true);
      const r = decodeReply(h(golden));
      expect(r.sw3).toBe(sw3);
      expect([...r.payload]).toEqual(data);
    });
  }

  it('SAM id, a real capture', () => {
    const golden = h('AA AA AA 96 69 00 14 00 00 90 05 00 01 00 09 B8 32 01 05 BE 12 00 AD C5 B1 11 63');
    const r = decodeReply(golden);
    expect(r.sw3).toBe(0x90);
    expect(encodeReply(0x90, r.payload).equals(golden)).toBe(true);
    expect(decodeSamId(r.payload)).toBe('05.01-20101129-0001228293-0296863149');
  });
});

const GOLDEN_TEXT: IdCardText = {
  cardType: 'resident',
  name: '张三',
  sex: '2',
  nation: '01',
  birthDate: '19491231',
  address: '北京市朝阳区测试路1号',
  idNumber: '11010519491231002X',
  authority: '北京市公安局朝阳分局',
  validFrom: '20200101',
  validTo: '20400101',
};

describe('the golden 30 01 read', () => {
  const frame = encodeReply(0x90, encodeTextPhoto(encodeTextBlock(GOLDEN_TEXT), Buffer.alloc(1024)));

  it('is 1295 bytes with the documented header, CHK and SHA-256', () => {
    expect(frame.length).toBe(1295);
    expect(frame.subarray(0, 14).equals(h('AA AA AA 96 69 05 08 00 00 90 01 00 04 00'))).toBe(true);
    expect(frame[1294]).toBe(0xa6);
    expect(createHash('sha256').update(frame).digest('hex')).toBe(
      'fd37f4fa90a980702eb5d36981df44d1d7db3e9a072b914a7e4869f18af1f8eb',
    );
  });

  it('decodes back to the fields and an opaque photo', () => {
    const { text, photo } = decodeTextPhoto(decodeReply(frame).payload);
    expect(decodeTextBlock(text)).toEqual(GOLDEN_TEXT);
    expect(photo.equals(Buffer.alloc(1024))).toBe(true);
  });

  it('reads 长期 (7F 95 1F 67) as a validity end', () => {
    const block = encodeTextBlock({ ...GOLDEN_TEXT, validTo: '长期' });
    expect(block.subarray(204, 208).equals(h('7F 95 1F 67'))).toBe(true);
    expect(decodeTextBlock(block).validTo).toBe('长期');
  });
});

describe('card types', () => {
  it('foreigner permanent residence card (I)', () => {
    const t: IdCardText = {
      cardType: 'foreigner',
      englishName: 'SMITH, JOHN PAUL',
      name: '约翰',
      sex: '1',
      nation: '',
      address: '',
      authority: '',
      idNumber: 'USA110049123101',
      nationality: 'USA',
      validFrom: '20200101',
      validTo: '20300101',
      birthDate: '19491231',
    };
    const block = encodeTextBlock(t);
    expect(block.toString('utf16le', 248, 250)).toBe('I');
    expect(block.toString('utf16le', 158, 162)).toBe('约翰');
    expect(decodeTextBlock(block)).toEqual(t);
  });

  it('HK/Macao/Taiwan residence permit (J)', () => {
    const t: IdCardText = {
      ...GOLDEN_TEXT,
      cardType: 'hmt',
      nation: '',
      idNumber: '81000019491231002X',
      passNumber: 'H01234567',
      issueCount: '01',
    };
    const block = encodeTextBlock(t);
    expect(block.toString('utf16le', 220, 238)).toBe('H01234567');
    expect(decodeTextBlock(block)).toEqual(t);
  });

  it('rejects an unknown card type and a block of the wrong size', () => {
    const block = encodeTextBlock(GOLDEN_TEXT);
    block.write('Z', 248, 'utf16le');
    expect(() => decodeTextBlock(block)).toThrow(TextBlockError);
    expect(() => decodeTextBlock(Buffer.alloc(255))).toThrow(TextBlockError);
    expect(() => encodeTextBlock({ ...GOLDEN_TEXT, idNumber: 'X'.repeat(19) })).toThrow(TextBlockError);
  });

  it('sex codes are not guessed', () => {
    expect(['0', '1', '2', '9'].map(sexLabel)).toEqual(['未知', '男', '女', '未说明']);
  });
});

describe('typed frame errors', () => {
  const good = h('AA AA AA 96 69 00 04 00 00 90 94');
  const code = (f: () => unknown) => {
    try {
      f();
    } catch (e) {
      return e instanceof FrameError ? e.code : 'other';
    }
    return 'none';
  };
  it('bad preamble, length, checksum', () => {
    const p = Buffer.from(good);
    p[3] = 0x97;
    expect(code(() => decodeReply(p))).toBe('BAD_PREAMBLE');
    expect(code(() => decodeReply(good.subarray(0, 10)))).toBe('BAD_LENGTH');
    const c = Buffer.from(good);
    c[10] = 0x95;
    expect(code(() => decodeReply(c))).toBe('BAD_CHECKSUM');
  });
});

describe('stream parser', () => {
  it('finds frames split across chunks, skipping and counting garbage', () => {
    const a = encodeReply(0x9f, Buffer.alloc(4));
    const b = encodeReply(0x80);
    const stream = Buffer.concat([h('01 02 AA AA'), a, h('FF AA 96'), b]);
    const p = new FrameParser();
    const frames = [];
    for (let i = 0; i < stream.length; i += 3) frames.push(...p.push(stream.subarray(i, i + 3)));
    expect(frames.map((f) => f.ok && f.frame.toString('hex'))).toEqual([a.toString('hex'), b.toString('hex')]);
    expect(p.skipped).toBe(7);
    expect(p.pending).toBe(0);
  });

  it('reports a frame with a bad checksum and carries on', () => {
    const bad = encodeReply(0x90, Buffer.from([1, 2, 3]));
    bad[bad.length - 1] ^= 0x01;
    const p = new FrameParser();
    const out = p.push(Buffer.concat([bad, encodeReply(0x80)]));
    expect(out.map((f) => (f.ok ? 'ok' : f.error.code))).toEqual(['BAD_CHECKSUM', 'ok']);
  });
});

// ---------------------------------------------------------------- properties

/** A BMP character that is neither a surrogate nor padding. */
const ucs2Char = fc
  .integer({ min: 0x21, max: 0xfffd })
  .filter((c) => c < 0xd800 || c > 0xdfff)
  .map((c) => String.fromCharCode(c));
/** Up to n characters, with inner spaces allowed but no trailing padding (the decoder trims it). */
const field = (n: number) =>
  fc
    .array(fc.oneof({ weight: 5, arbitrary: ucs2Char }, { weight: 1, arbitrary: fc.constant(' ') }), { maxLength: n })
    .map((cs) => cs.join('').trimEnd());

const textBlock = fc.constantFrom<CardType>('resident', 'hmt', 'foreigner', 'foreigner2023').chain((cardType) => {
  const f = (k: keyof IdCardText) => field(fieldCapacity(cardType, k));
  const base = {
    cardType: fc.constant(cardType),
    name: f('name'),
    sex: f('sex'),
    nation: f('nation'),
    birthDate: f('birthDate'),
    address: f('address'),
    idNumber: f('idNumber'),
    authority: f('authority'),
    validFrom: f('validFrom'),
    validTo: f('validTo'),
  };
  if (cardType === 'hmt') return fc.record({ ...base, passNumber: f('passNumber'), issueCount: f('issueCount') });
  if (cardType === 'resident') return fc.record(base);
  return fc.record({
    ...base,
    nation: fc.constant(''),
    address: fc.constant(''),
    authority: fc.constant(''),
    englishName: f('englishName'),
    nationality: f('nationality'),
  });
}) as fc.Arbitrary<IdCardText>;

describe('properties', () => {
  it('any text block round-trips', () => {
    fc.assert(
      fc.property(textBlock, (t) => {
        const block = encodeTextBlock(t);
        expect(block.length).toBe(256);
        expect(decodeTextBlock(block)).toEqual(t);
      }),
      { numRuns: 500 },
    );
  });

  it('any single corrupted byte of a frame is detected', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 2, maxLength: 300 }),
        fc.nat(),
        fc.integer({ min: 1, max: 255 }),
        (body, at, flip) => {
          const frame = encodeFrame(body);
          expect(decodeFrameBody(frame).equals(Buffer.from(body))).toBe(true);
          const bad = Buffer.from(frame);
          const i = at % bad.length;
          bad[i] = (bad[i] as number) ^ flip;
          expect(() => decodeFrameBody(bad)).toThrow(FrameError);
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('the parser finds every frame among arbitrary garbage without a preamble', () => {
    const garbage = fc.uint8Array({ maxLength: 20 }).map((g) => Buffer.from(g.filter((x) => x !== 0xaa)));
    fc.assert(
      fc.property(fc.array(fc.tuple(garbage, fc.uint8Array({ minLength: 3, maxLength: 50 })), { maxLength: 6 }), (parts) => {
        const p = new FrameParser();
        const frames = parts.map(([, b]) => encodeFrame(b));
        const stream = Buffer.concat(parts.flatMap(([g], i) => [g, frames[i] as Buffer]));
        const got = p.push(stream);
        expect(got.map((f) => f.ok && f.frame.toString('hex'))).toEqual(frames.map((f) => f.toString('hex')));
        expect(p.skipped).toBe(parts.reduce((n, [g]) => n + g.length, 0));
      }),
    );
  });
});
