/**
 * People and devices: scrypt password hashes, bearer tokens stored only as SHA-256 hashes, roles.
 * Revocation is a row update read on every request, so it takes effect at once.
 */
import { createHash, randomBytes, scrypt as scryptCb, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';
import type { Device, DeviceKind, Role, User } from '@yimen/shared';
import { toShanghaiIso } from '@yimen/shared';
import type { Db } from './db.js';

const scrypt = promisify(scryptCb) as (pw: string, salt: Buffer, len: number, opts: object) => Promise<Buffer>;
const SCRYPT = { N: 16384, r: 8, p: 1, maxmem: 64 * 1024 * 1024 };

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await scrypt(password.normalize('NFC'), salt, 32, SCRYPT);
  return `scrypt$${SCRYPT.N}$${SCRYPT.r}$${SCRYPT.p}$${salt.toString('base64')}$${key.toString('base64')}`;
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [alg, n, r, p, salt, key] = stored.split('$');
  if (alg !== 'scrypt' || !salt || !key) return false;
  const expected = Buffer.from(key, 'base64');
  const got = await scrypt(password.normalize('NFC'), Buffer.from(salt, 'base64'), expected.length, {
    N: Number(n),
    r: Number(r),
    p: Number(p),
    maxmem: SCRYPT.maxmem,
  });
  return got.length === expected.length && timingSafeEqual(got, expected);
}

/** A password hash to compare against when the user does not exist, so both answers take as long. */
let dummyHash: Promise<string> | undefined;
export function dummyPasswordHash(): Promise<string> {
  dummyHash ??= hashPassword(randomBytes(12).toString('hex'));
  return dummyHash;
}

export const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');
export const newToken = (kind: 'u' | 'd') => `ym${kind}_${randomBytes(32).toString('base64url')}`;
export const newId = (prefix: string) => `${prefix}_${randomBytes(12).toString('base64url')}`;

export interface UserRow {
  id: string;
  username: string;
  name: string;
  role: Role;
  staffNo: string | null;
  counterIds: string[];
  passwordHash: string;
  disabledAt: number | null;
}

export interface DeviceRow {
  id: string;
  kind: DeviceKind;
  name: string;
  counterId: string | null;
  createdAt: number;
  revokedAt: number | null;
}

export type Principal =
  | { type: 'user'; tokenHash: string; user: UserRow }
  | { type: 'device'; tokenHash: string; device: DeviceRow };

export const SESSION_HOURS = 16;

export function publicUser(u: UserRow): User {
  return { id: u.id, username: u.username, name: u.name, role: u.role, staffNo: u.staffNo, counterIds: u.counterIds };
}

export function publicDevice(d: DeviceRow): Device {
  return {
    id: d.id,
    kind: d.kind,
    name: d.name,
    counterId: d.counterId,
    createdAt: toShanghaiIso(d.createdAt),
    revokedAt: d.revokedAt === null ? null : toShanghaiIso(d.revokedAt),
  };
}

interface UserDbRow {
  id: string;
  username: string;
  name: string;
  role: Role;
  staff_no: string | null;
  counter_ids: string;
  password_hash: string;
  disabled_at: number | null;
}
const userFromRow = (r: UserDbRow): UserRow => ({
  id: r.id,
  username: r.username,
  name: r.name,
  role: r.role,
  staffNo: r.staff_no,
  counterIds: JSON.parse(r.counter_ids) as string[],
  passwordHash: r.password_hash,
  disabledAt: r.disabled_at,
});
interface DeviceDbRow {
  id: string;
  kind: DeviceKind;
  name: string;
  counter_id: string | null;
  created_at: number;
  revoked_at: number | null;
}
const deviceFromRow = (r: DeviceDbRow): DeviceRow => ({
  id: r.id,
  kind: r.kind,
  name: r.name,
  counterId: r.counter_id,
  createdAt: r.created_at,
  revokedAt: r.revoked_at,
});

export class AuthStore {
  private readonly sessionLookup;
  private readonly deviceLookup;
  constructor(private readonly db: Db) {
    this.sessionLookup = db.prepare(
      `SELECT u.* FROM sessions s JOIN users u ON u.id = s.user_id
       WHERE s.token_hash = ? AND s.revoked_at IS NULL AND s.expires_at > ? AND u.disabled_at IS NULL`,
    );
    this.deviceLookup = db.prepare('SELECT * FROM devices WHERE token_hash = ? AND revoked_at IS NULL');
  }

  /** The principal of a bearer token, or null (unknown, revoked, expired). */
  authenticate(token: string, now: number): Principal | null {
    if (token.length < 8 || token.length > 200) return null;
    const tokenHash = hashToken(token);
    if (token.startsWith('ymd_')) {
      const d = this.deviceLookup.get(tokenHash) as DeviceDbRow | undefined;
      return d ? { type: 'device', tokenHash, device: deviceFromRow(d) } : null;
    }
    const u = this.sessionLookup.get(tokenHash, now) as UserDbRow | undefined;
    return u ? { type: 'user', tokenHash, user: userFromRow(u) } : null;
  }

  userByUsername(username: string): UserRow | undefined {
    const r = this.db.prepare('SELECT * FROM users WHERE username = ?').get(username) as UserDbRow | undefined;
    return r && userFromRow(r);
  }

  user(id: string): UserRow | undefined {
    const r = this.db.prepare('SELECT * FROM users WHERE id = ?').get(id) as UserDbRow | undefined;
    return r && userFromRow(r);
  }

  users(): UserRow[] {
    return (this.db.prepare('SELECT * FROM users ORDER BY username').all() as UserDbRow[]).map(userFromRow);
  }

  hasAdmin(): boolean {
    return this.db.prepare("SELECT 1 FROM users WHERE role = 'admin' AND disabled_at IS NULL LIMIT 1").get() !== undefined;
  }

  createUser(u: Omit<UserRow, 'disabledAt'>, now: number): void {
    this.db
      .prepare(
        `INSERT INTO users (id, username, name, role, staff_no, counter_ids, password_hash, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(u.id, u.username, u.name, u.role, u.staffNo, JSON.stringify(u.counterIds), u.passwordHash, now);
  }

  createSession(userId: string, now: number): string {
    const token = newToken('u');
    this.db
      .prepare('INSERT INTO sessions (token_hash, user_id, created_at, expires_at) VALUES (?, ?, ?, ?)')
      .run(hashToken(token), userId, now, now + SESSION_HOURS * 3600_000);
    return token;
  }

  revokeSession(tokenHash: string, now: number): void {
    this.db.prepare('UPDATE sessions SET revoked_at = ? WHERE token_hash = ? AND revoked_at IS NULL').run(now, tokenHash);
  }

  createDevice(
    d: { kind: DeviceKind; name: string; counterId: string | null },
    now: number,
  ): { device: DeviceRow; token: string } {
    const token = newToken('d');
    const device: DeviceRow = { id: newId('dev'), ...d, createdAt: now, revokedAt: null };
    this.db
      .prepare('INSERT INTO devices (id, kind, name, counter_id, token_hash, created_at) VALUES (?, ?, ?, ?, ?, ?)')
      .run(device.id, device.kind, device.name, device.counterId, hashToken(token), now);
    return { device, token };
  }

  device(id: string): DeviceRow | undefined {
    const r = this.db.prepare('SELECT * FROM devices WHERE id = ?').get(id) as DeviceDbRow | undefined;
    return r && deviceFromRow(r);
  }

  devices(): DeviceRow[] {
    return (this.db.prepare('SELECT * FROM devices ORDER BY created_at').all() as DeviceDbRow[]).map(deviceFromRow);
  }

  revokeDevice(id: string, now: number): void {
    this.db.prepare('UPDATE devices SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL').run(now, id);
  }
}

/**
 * Slows password guessing: after `limit` failed logins of one username within `windowMs`, further tries
 * are refused (429) until the window has passed, without checking the password. A success clears it.
 * In memory on purpose: a restart forgets it, which only helps a guesser by one more window.
 */
export class LoginThrottle {
  private readonly failures = new Map<string, number[]>();
  constructor(
    private readonly clock: () => number,
    readonly limit = 5,
    readonly windowMs = 10 * 60_000,
  ) {}

  private recent(key: string, now: number): number[] {
    const list = (this.failures.get(key) ?? []).filter((t) => now - t < this.windowMs);
    if (list.length === 0) this.failures.delete(key);
    else this.failures.set(key, list);
    return list;
  }

  /** Seconds until the username may try again, or 0. */
  blockedFor(username: string): number {
    const now = this.clock();
    const list = this.recent(username.toLowerCase(), now);
    if (list.length < this.limit) return 0;
    return Math.ceil((this.windowMs - (now - (list[list.length - this.limit] as number))) / 1000);
  }

  failed(username: string): void {
    const key = username.toLowerCase();
    const now = this.clock();
    if (this.failures.size > 10_000) for (const k of [...this.failures.keys()]) this.recent(k, now);
    this.failures.set(key, [...this.recent(key, now), now]);
  }

  succeeded(username: string): void {
    this.failures.delete(username.toLowerCase());
  }
}
