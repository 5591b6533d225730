/**
 * Helpers of the HTTP API tests: the error-body check, valid ID numbers, and a fast server start.
 *
 * `hallServer()` starts a real server on a copy of a template database in which the fixture users and a set
 * of devices already exist and are logged in, so a test gets a fresh hall without paying the scrypt
 * hashing of seven passwords and of every login again.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { idNumberCheckChar } from '@yimen/shared';
import { expect } from 'vitest';
import { type ApiResponse, type ManualClock, startServer, type TestServer, tempDir } from '../fixtures.js';

/** The error body of the contract, exactly: {error: {code, message}}, a zh-CN message. */
export function expectError(r: ApiResponse, status: number, code: string): void {
  expect(r.status, r.text).toBe(status);
  expect(r.headers.get('content-type')).toMatch(/^application\/json/);
  expect(r.json, r.text).toStrictEqual({ error: { code, message: expect.stringMatching(/\p{Script=Han}/u) } });
}

/** Not 401 and not 403. */
export function expectAllowed(r: ApiResponse, what: string): void {
  expect([401, 403], `${what}: ${r.status} ${r.text}`).not.toContain(r.status);
}

export const ISO_SHANGHAI = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?\+08:00$/;

/** A valid 居民身份证 number: region 110101, a birth date, a sequence and the GB 11643 check character. */
export function idNumber(birth = '19900307', seq = '123'): string {
  const first17 = `110101${birth}${seq}`;
  return `${first17}${idNumberCheckChar(first17)}`;
}

/** The same number with a wrong check character. */
export const badCheck = (id: string): string => `${id.slice(0, 17)}${id[17] === '0' ? '1' : '0'}`;

export interface Tokens {
  admin: string;
  manager: string;
  clerk1: string;
  clerk2: string;
  clerk3: string;
  clerk4: string;
  clerk5: string;
  kiosk: string;
  kiosk2: string;
  hallDisplay: string;
  counterDisplay1: string;
  pad1: string;
  pad2: string;
  keypad1: string;
  keypad5: string;
}

export interface DeviceIds {
  kiosk: string;
  pad1: string;
}

interface Template {
  /** The database file's bytes: the template's folder is gone once they are read. */
  bytes: Buffer;
  tokens: Tokens;
  deviceIds: DeviceIds;
}

let template: Promise<Template> | null = null;

async function makeTemplate(): Promise<Template> {
  const { dir, cleanup } = tempDir('yimen-api-template-');
  const file = join(dir, 'yimen.db');
  const s = await startServer({ dbFile: file });
  const kiosk = await s.device('kiosk');
  const pad1 = await s.device('evaluation-pad', 'w1');
  const tokens: Tokens = {
    admin: await s.admin(),
    manager: await s.login('manager'),
    clerk1: await s.login('clerk1'),
    clerk2: await s.login('clerk2'),
    clerk3: await s.login('clerk3'),
    clerk4: await s.login('clerk4'),
    clerk5: await s.login('clerk5'),
    kiosk: kiosk.token,
    kiosk2: (await s.device('kiosk')).token,
    hallDisplay: (await s.device('hall-display')).token,
    counterDisplay1: (await s.device('counter-display', 'w1')).token,
    pad1: pad1.token,
    pad2: (await s.device('evaluation-pad', 'w2')).token,
    keypad1: (await s.device('call-keypad', 'w1')).token,
    keypad5: (await s.device('call-keypad', 'w5')).token,
  };
  await s.close();
  // closing the last connection folds the WAL into the file
  expect(existsSync(`${file}-wal`)).toBe(false);
  const bytes = readFileSync(file);
  cleanup();
  return { bytes, tokens, deviceIds: { kiosk: kiosk.id, pad1: pad1.id } };
}

export interface HallServer extends TestServer {
  /** Sessions (valid for 16 h from Monday 09:00) and device tokens made in the template. */
  t: Tokens;
  deviceIds: DeviceIds;
}

/** A real server on a fresh copy of the template hall: Monday 2026-11-30 09:00, nothing issued, every counter closed. */
export async function hallServer(opts: { clock?: ManualClock } = {}): Promise<HallServer> {
  template ??= makeTemplate();
  const tpl = await template;
  const tmp = tempDir();
  const dbFile = join(tmp.dir, 'yimen.db');
  writeFileSync(dbFile, tpl.bytes);
  const s = await startServer({ dbFile, ...(opts.clock ? { clock: opts.clock } : {}) });
  return {
    ...s,
    t: tpl.tokens,
    deviceIds: tpl.deviceIds,
    close: async () => {
      await s.close();
      tmp.cleanup();
    },
  };
}
