/** Ticket numbers: the service's prefix and the day's sequence, three digits at least, never truncated. */
export function formatTicketNumber(prefix: string, sequence: number): string {
  if (!Number.isInteger(sequence) || sequence < 1) throw new RangeError(`bad ticket sequence: ${sequence}`);
  return `${prefix}${String(sequence).padStart(3, '0')}`;
}

/** "A023" → {prefix: "A", sequence: 23}; null when it is not a ticket number. */
export function parseTicketNumber(number: string): { prefix: string; sequence: number } | null {
  const m = /^([A-Z]{1,3})(\d{3,})$/.exec(number);
  if (!m) return null;
  return { prefix: m[1] as string, sequence: Number(m[2]) };
}

const DIGITS = ['零', '一', '二', '三', '四', '五', '六', '七', '八', '九'] as const;

/** How a hall reads a number aloud, digit by digit: A023 → "A零二三". */
export function spokenTicketNumber(number: string): string {
  return Array.from(number)
    .map((c) => (c >= '0' && c <= '9' ? DIGITS[Number(c)] : c))
    .join('');
}
