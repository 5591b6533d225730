/**
 * The idle rule of a public kiosk: after `timeoutSeconds` without a touch the kiosk goes back to its home
 * screen and forgets the citizen (search, elderly mode, the card, a ticket on screen); in the last
 * `warnSeconds` it shows a countdown. Pure: the screen feeds it the time of the last touch and the time now.
 */
export const DEFAULT_IDLE_SECONDS = 60;
export const IDLE_WARN_SECONDS = 10;

export interface IdlePhase {
  /** Whole seconds left before the reset (0 once it is due). */
  remaining: number;
  /** Show the countdown. */
  warn: boolean;
  /** Reset now. */
  expired: boolean;
}

/** The countdown shows the last 10 s, or the last half of a shorter timeout (tests use a few seconds). */
export function warnSecondsFor(timeoutSeconds: number): number {
  return Math.max(1, Math.min(IDLE_WARN_SECONDS, Math.floor(timeoutSeconds / 2)));
}

export function idlePhase(
  lastTouchMs: number,
  nowMs: number,
  timeoutSeconds: number,
  warnSeconds = warnSecondsFor(timeoutSeconds),
): IdlePhase {
  const leftMs = lastTouchMs + timeoutSeconds * 1000 - nowMs;
  const remaining = Math.max(0, Math.ceil(leftMs / 1000));
  return { remaining, warn: leftMs > 0 && remaining <= warnSeconds, expired: leftMs <= 0 };
}

/** `?idleSeconds=N` (tests shorten the timeout); anything else: the 60 s default. */
export function idleSecondsFrom(search: string): number {
  const raw = new URLSearchParams(search).get('idleSeconds');
  if (raw === null || !/^\d{1,4}$/.test(raw)) return DEFAULT_IDLE_SECONDS;
  const n = Number(raw);
  return n >= 2 ? n : DEFAULT_IDLE_SECONDS;
}
