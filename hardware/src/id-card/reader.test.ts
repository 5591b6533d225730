import type { ChildProcess } from 'node:child_process';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { SAMPLE_ELDER } from '../testing/cards.js';
import { startSocat } from '../testing/socat.js';
import type { IdCardText } from './codec.js';
import { forServer, IdCardReaderError, openSerialPort, SamIdCardReader } from './reader.js';
import { IdCardReaderSimulator } from './simulator.js';

const ZHANG: IdCardText = SAMPLE_ELDER;

let socat: ChildProcess | undefined;
let reader: SamIdCardReader;
let sim: IdCardReaderSimulator;
const killSocat = () => {
  if (socat && socat.exitCode === null) socat.kill('SIGKILL');
};
process.on('exit', killSocat);

beforeAll(async () => {
  const pair = await startSocat();
  socat = pair.proc;
  try {
    sim = await IdCardReaderSimulator.open(pair.a);
    reader = new SamIdCardReader(await openSerialPort(pair.b), { findTimeoutMs: 300, readTimeoutMs: 1500 });
  } catch (e) {
    killSocat();
    throw e;
  }
});

afterAll(async () => {
  try {
    await reader?.close();
    await sim?.close();
  } finally {
    killSocat();
  }
});

afterEach(() => {
  sim.removeCard();
  sim.clearFaults();
  sim.received.length = 0;
});

describe('reader against the simulator over a real socat pty pair', () => {
  it('card placed → find, select, read → the fields', async () => {
    sim.placeCard({ text: ZHANG, photo: Buffer.alloc(1024, 7) });
    const card = await reader.readCard();
    expect(card?.text).toEqual(ZHANG);
    expect(card?.photo.equals(Buffer.alloc(1024, 7))).toBe(true);
    expect(card?.serial.length).toBe(8);
    expect(sim.received).toEqual(['20 01', '20 02', '30 01']);
    expect(card && forServer(card)).toEqual({ idNumber: ZHANG.idNumber, birthDate: '19491231', cardType: 'resident' });
  });

  it('no card → null; a removed card → null', async () => {
    expect(await reader.readCard()).toBeNull();
    sim.placeCard({ text: ZHANG });
    expect(await reader.readCard()).not.toBeNull();
    sim.removeCard();
    expect(await reader.readCard()).toBeNull();
  });

  it('foreigner and HK/Macao/Taiwan cards', async () => {
    const foreigner: IdCardText = {
      cardType: 'foreigner',
      englishName: 'SMITH, JOHN',
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
    sim.placeCard({ text: foreigner });
    expect((await reader.readCard())?.text).toEqual(foreigner);
    const hmt: IdCardText = {
      ...ZHANG,
      cardType: 'hmt',
      nation: '',
      validTo: '20300101',
      passNumber: 'H01234567',
      issueCount: '01',
    };
    sim.placeCard({ text: hmt });
    expect((await reader.readCard())?.text).toEqual(hmt);
  });

  it('a reply with a bad checksum is retried', async () => {
    sim.placeCard({ text: ZHANG });
    sim.inject('bad-checksum', 'read');
    expect((await reader.readCard())?.text).toEqual(ZHANG);
    expect(sim.received).toEqual(['20 01', '20 02', '30 01', '30 01']);
  });

  it('bad checksums on every attempt → a clear BAD_FRAME error', async () => {
    sim.placeCard({ text: ZHANG });
    sim.inject('bad-checksum', 'find', 3);
    await expect(reader.readCard()).rejects.toMatchObject({ name: 'IdCardReaderError', code: 'BAD_FRAME' });
    expect(sim.received).toEqual(['20 01', '20 01', '20 01']);
  });

  it('a read failure (41) is retried from find; twice → READ_FAILED', async () => {
    sim.placeCard({ text: ZHANG });
    sim.inject('read-failure', 'read');
    expect((await reader.readCard())?.text).toEqual(ZHANG);
    sim.inject('read-failure', 'read', 2);
    const err = await reader.readCard().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(IdCardReaderError);
    expect((err as IdCardReaderError).code).toBe('READ_FAILED');
    expect((err as IdCardReaderError).message).not.toContain('张');
  });

  it('a lost reply times out and is retried; garbage on the line is skipped', async () => {
    sim.placeCard({ text: ZHANG });
    sim.inject('no-reply', 'find');
    sim.inject('garbage', 'select');
    const before = reader.skippedBytes;
    expect((await reader.readCard())?.text).toEqual(ZHANG);
    expect(sim.received).toEqual(['20 01', '20 01', '20 02', '30 01']);
    expect(reader.skippedBytes).toBeGreaterThan(before);
  });

  it('no reply at all → TIMEOUT after the retries', async () => {
    sim.inject('no-reply', 'find', 3);
    await expect(reader.readCard()).rejects.toMatchObject({ code: 'TIMEOUT' });
  });

  it('concurrent reads are serialised', async () => {
    sim.placeCard({ text: ZHANG });
    const [a, b] = await Promise.all([reader.readCard(), reader.readCard()]);
    expect(a?.text.idNumber).toBe(ZHANG.idNumber);
    expect(b?.text.idNumber).toBe(ZHANG.idNumber);
    expect(sim.received).toEqual(['20 01', '20 02', '30 01', '20 01', '20 02', '30 01']);
  });
});
