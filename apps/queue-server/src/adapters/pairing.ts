/**
 * Pairing a screen without typing a token: the screen asks for a pairing and shows its six-digit code; an
 * admin or manager approves the code in the manager view; the screen, polling with the pairing's secret,
 * receives its device token once. Pending pairings live in memory for 15 minutes (a restart drops them and
 * the screens simply ask again); approved devices are ordinary devices in the database.
 */
import { randomBytes, randomInt } from 'node:crypto';
import type { DeviceKind } from '@yimen/shared';
import { toShanghaiIso } from '@yimen/shared';
import { hashToken } from './auth.js';

export const PAIRING_TTL_MS = 15 * 60_000;
export const MAX_PENDING = 50;

export interface Pairing {
  id: string;
  code: string;
  kind: DeviceKind;
  counterId: string | null;
  name: string;
  createdAt: number;
  secretHash: string;
  /** Set on approval; handed to the screen once, then the pairing is gone. */
  approved: { deviceId: string; token: string } | null;
}

export class PairingStore {
  private readonly pairings = new Map<string, Pairing>();
  constructor(private readonly clock: () => number) {}

  private sweep(): void {
    const now = this.clock();
    for (const [id, p] of this.pairings) if (now - p.createdAt > PAIRING_TTL_MS) this.pairings.delete(id);
  }

  /** A new pending pairing and its secret, or null when too many are pending. */
  open(kind: DeviceKind, counterId: string | null, name: string): { pairing: Pairing; secret: string } | null {
    this.sweep();
    if (this.pairings.size >= MAX_PENDING) return null;
    const codes = new Set([...this.pairings.values()].map((p) => p.code));
    let code: string;
    do code = String(randomInt(0, 1_000_000)).padStart(6, '0');
    while (codes.has(code));
    const secret = randomBytes(24).toString('base64url');
    const pairing: Pairing = {
      id: `pair_${randomBytes(9).toString('base64url')}`,
      code,
      kind,
      counterId,
      name,
      createdAt: this.clock(),
      secretHash: hashToken(secret),
      approved: null,
    };
    this.pairings.set(pairing.id, pairing);
    return { pairing, secret };
  }

  get(id: string): Pairing | undefined {
    this.sweep();
    return this.pairings.get(id);
  }

  pending(): Pairing[] {
    this.sweep();
    return [...this.pairings.values()].filter((p) => p.approved === null).sort((a, b) => a.createdAt - b.createdAt);
  }

  /** The screen's poll: 'pending', the token (once), or undefined when unknown, expired, rejected or the secret is wrong. */
  claim(id: string, secret: string): 'pending' | { deviceId: string; token: string } | undefined {
    const p = this.get(id);
    if (!p || p.secretHash !== hashToken(secret)) return undefined;
    if (p.approved === null) return 'pending';
    this.pairings.delete(id);
    return p.approved;
  }

  approve(id: string, device: { deviceId: string; token: string }): void {
    const p = this.pairings.get(id);
    if (p) p.approved = device;
  }

  reject(id: string): boolean {
    return this.pairings.delete(id);
  }
}

export function publicPairing(p: Pairing) {
  return {
    id: p.id,
    code: p.code,
    kind: p.kind,
    counterId: p.counterId,
    name: p.name,
    createdAt: toShanghaiIso(p.createdAt),
    expiresAt: toShanghaiIso(p.createdAt + PAIRING_TTL_MS),
  };
}
