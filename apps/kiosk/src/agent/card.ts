/**
 * The card on the reader. The agent polls the SAM reader; a card newly placed is read once and held: only its
 * ID number, birth date, type and the masked name, for at most HOLD_MS or until used or cleared (idle reset).
 * The rest of the card (address, photo, full name) is dropped at once. Nothing of it is logged in clear.
 */
import { createHash } from 'node:crypto';
import type { IdCard } from '@yimen/hardware/id-card/reader';
import { maskName } from '@yimen/shared';
import type { CardType, CardView } from '../contract.js';

export const HOLD_MS = 60_000;

export interface HeldCard {
  idNumber: string;
  /** YYYY-MM-DD */
  birthDate: string;
  cardType: CardType;
  maskedName: string;
  readAt: number;
}

export function holdCard(card: IdCard, now: number): HeldCard {
  const b = card.text.birthDate;
  return {
    idNumber: card.text.idNumber.toUpperCase(),
    birthDate: /^\d{8}$/.test(b) ? `${b.slice(0, 4)}-${b.slice(4, 6)}-${b.slice(6, 8)}` : '',
    cardType: card.text.cardType,
    maskedName: maskName(card.text.name),
    readAt: now,
  };
}

/** Age in whole years on `day` (YYYY-MM-DD), from a YYYY-MM-DD birth date; null when unknown. */
export function ageFrom(birthDate: string, day: string): number | null {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(birthDate)) return null;
  let age = Number(day.slice(0, 4)) - Number(birthDate.slice(0, 4));
  if (day.slice(5) < birthDate.slice(5)) age -= 1;
  return age >= 0 ? age : null;
}

export function cardView(card: HeldCard, day: string, elderlyAge: number, iso: (ms: number) => string): CardView {
  const age = ageFrom(card.birthDate, day);
  return {
    maskedName: card.maskedName,
    age,
    elderly: age !== null && age >= elderlyAge,
    cardType: card.cardType,
    readAt: iso(card.readAt),
  };
}

/** A fingerprint of a card (to notice the same card lying on the reader): its chip serial and a hash of its number. */
export function cardFingerprint(card: IdCard): string {
  return `${card.serial.toString('hex')}:${createHash('sha256').update(card.text.idNumber).digest('base64url')}`;
}
