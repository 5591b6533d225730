/**
 * Reader of the "Anonymous Bank" call-centre log (February 1999), shared by analyse.ts and trace.ts.
 *
 * The file is tab-separated with CRLF line ends, 17 columns (see ../shared/data/README.md). Its quirks,
 * all handled here and counted:
 * - times are `H:MM:SS` or `HH:MM:SS`; `0:00:00` in q_start/q_exit/ser_start/ser_exit means "none";
 * - 16 services cross midnight (ser_exit earlier than ser_start); 25 rows have vru_exit 8–192 s before
 *   vru_entry (negative vru_time, a clock glitch, not midnight): vru_exit is kept as the queue-join time;
 * - outcome AGENT = served, HANG = hung up (in the voice menu when q_time = 0, in the queue when q_time > 0),
 *   PHANTOM = a ghost record (neither served nor abandoned), left out;
 * - AGENT rows with server NO_SERVER (no agent recorded) and AGENT rows with ser_time 0 exist: kept, counted;
 * - clocks of the stages disagree by 1–2 s (ser_start is often 1 s before q_exit): q_time is used as the wait.
 */
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const HERE = dirname(fileURLToPath(import.meta.url));
export const REPO = resolve(HERE, '..', '..');
export const DEFAULT_LOG = resolve(REPO, '..', 'shared', 'data', 'anonymous_bank_february_1999.tsv');

export const TYPES = ['PS', 'PE', 'NW', 'NE', 'TT', 'IN'] as const;
export type CallType = (typeof TYPES)[number];

/** What each service type of the bank stands for, as the data set is commonly described (not in ../shared/data/README.md). */
export const TYPE_LABELS: Record<CallType, string> = {
  PS: 'regular banking activity (Hebrew)',
  PE: 'regular banking activity (English)',
  NW: 'potential customer asking for information',
  NE: 'stock-exchange activity',
  TT: 'call-back to a customer who left a message',
  IN: 'internet (online banking) support',
};

export const OUTCOMES = ['AGENT', 'HANG', 'PHANTOM'] as const;
export type Outcome = (typeof OUTCOMES)[number];

export type DayType = 'sun-thu' | 'fri' | 'sat';
export const DAY_TYPES: readonly DayType[] = ['sun-thu', 'fri', 'sat'];

export interface Call {
  callId: string;
  customerId: string;
  /** 0 unidentified (mostly), 1 identified regular, 2 identified priority customer. */
  priority: 0 | 1 | 2;
  type: CallType;
  /** YYYY-MM-DD */
  date: string;
  /** 0 = Sunday … 6 = Saturday */
  weekday: number;
  dayType: DayType;
  /** Seconds since midnight of `date`. */
  vruEntry: number;
  /** Seconds since midnight of `date` (may exceed 86,400 when the call crossed midnight). */
  vruExit: number;
  /** Seconds waiting in the queue; 0 when the call did not queue. */
  qTime: number;
  outcome: Outcome;
  /** Seconds since midnight of `date`, null when not served. */
  serStart: number | null;
  /** Seconds of service (AGENT rows), 0 otherwise. */
  serTime: number;
  server: string;
}

export interface ReadResult {
  calls: Call[];
  rows: number;
  skipped: Record<string, number>;
  quirks: Record<string, number>;
}

const TIME = /^(\d{1,2}):(\d{2}):(\d{2})$/;

export function parseTime(s: string): number | null {
  const m = TIME.exec(s);
  if (!m) return null;
  const h = Number(m[1]);
  const min = Number(m[2]);
  const sec = Number(m[3]);
  if (h > 23 || min > 59 || sec > 59) return null;
  return h * 3600 + min * 60 + sec;
}

export function formatTime(seconds: number): string {
  const s = Math.round(seconds);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const r = s % 60;
  return `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}:${String(r).padStart(2, '0')}`;
}

function dayTypeOf(weekday: number): DayType {
  if (weekday === 5) return 'fri';
  if (weekday === 6) return 'sat';
  return 'sun-thu';
}

const bump = (o: Record<string, number>, k: string): void => {
  o[k] = (o[k] ?? 0) + 1;
};

const EXPECTED_HEADER = [
  'vru+line',
  'call_id',
  'customer_id',
  'priority',
  'type',
  'date',
  'vru_entry',
  'vru_exit',
  'vru_time',
  'q_start',
  'q_exit',
  'q_time',
  'outcome',
  'ser_start',
  'ser_exit',
  'ser_time',
  'server',
];

export function readBankLog(path: string = DEFAULT_LOG): ReadResult {
  const text = readFileSync(path, 'utf8');
  const lines = text.split(/\r?\n/);
  const header = (lines[0] ?? '').split('\t');
  if (header.join('|') !== EXPECTED_HEADER.join('|')) {
    throw new Error(`unexpected header in ${path}: ${header.join(', ')}`);
  }
  const calls: Call[] = [];
  const skipped: Record<string, number> = {};
  const quirks: Record<string, number> = {};
  let rows = 0;
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i];
    if (line === undefined || line.trim() === '') continue;
    rows++;
    const f = line.split('\t');
    if (f.length !== 17) {
      bump(skipped, `field count ${f.length} instead of 17`);
      continue;
    }
    const [, callId, customerId, prio, type, yymmdd, vEntry, vExit, , , , qTimeS, outcome, sStart, sExit, sTimeS, server] = f as [
      string,
      string,
      string,
      string,
      string,
      string,
      string,
      string,
      string,
      string,
      string,
      string,
      string,
      string,
      string,
      string,
      string,
    ];
    if (prio !== '0' && prio !== '1' && prio !== '2') {
      bump(skipped, 'priority not 0/1/2');
      continue;
    }
    if (!(TYPES as readonly string[]).includes(type)) {
      bump(skipped, 'unknown service type');
      continue;
    }
    if (!(OUTCOMES as readonly string[]).includes(outcome)) {
      bump(skipped, 'unknown outcome');
      continue;
    }
    if (!/^\d{6}$/.test(yymmdd)) {
      bump(skipped, 'bad date');
      continue;
    }
    const year = 1900 + Number(yymmdd.slice(0, 2)) + (Number(yymmdd.slice(0, 2)) < 50 ? 100 : 0);
    const date = `${year}-${yymmdd.slice(2, 4)}-${yymmdd.slice(4, 6)}`;
    const weekday = new Date(`${date}T12:00:00Z`).getUTCDay();
    const vruEntry = parseTime(vEntry);
    let vruExit = parseTime(vExit);
    if (vruEntry === null || vruExit === null) {
      bump(skipped, 'unparseable vru_entry/vru_exit');
      continue;
    }
    if (vruExit < vruEntry - 12 * 3600) {
      vruExit += 86400;
      bump(quirks, 'voice menu crossed midnight (vru_exit +24 h)');
    } else if (vruExit < vruEntry) {
      // a clock glitch, not midnight (vru_time is negative, −8 to −192 s): vru_exit (= q_start) is kept
      bump(quirks, 'vru_exit before vru_entry (negative vru_time; vru_exit kept)');
    }
    const qTime = Number(qTimeS);
    const serTime = Number(sTimeS);
    if (!Number.isFinite(qTime) || qTime < 0 || !Number.isFinite(serTime) || serTime < 0) {
      bump(skipped, 'bad q_time/ser_time');
      continue;
    }
    let serStart: number | null = null;
    if (outcome === 'AGENT') {
      serStart = parseTime(sStart);
      const serExit = parseTime(sExit);
      if (serStart === null || serExit === null) {
        bump(skipped, 'served (AGENT) without parseable ser_start/ser_exit');
        continue;
      }
      if (serExit < serStart) bump(quirks, 'service crossed midnight');
      if (serStart < vruEntry - 12 * 3600) serStart += 86400; // service began after midnight
      if (server === 'NO_SERVER') bump(quirks, 'served (AGENT) with server NO_SERVER');
      if (serTime === 0) bump(quirks, 'served (AGENT) with ser_time 0');
      else if (serTime < 10) bump(quirks, 'served (AGENT) with ser_time 1–9 s');
    }
    if (customerId === '0' && prio !== '0') bump(quirks, 'customer_id 0 with priority 1/2');
    if (customerId !== '0' && prio === '0') bump(quirks, 'identified customer with priority 0');
    calls.push({
      callId,
      customerId,
      priority: Number(prio) as 0 | 1 | 2,
      type: type as CallType,
      date,
      weekday,
      dayType: dayTypeOf(weekday),
      vruEntry,
      vruExit,
      qTime,
      outcome: outcome as Outcome,
      serStart,
      serTime: outcome === 'AGENT' ? serTime : 0,
      server,
    });
  }
  return { calls, rows, skipped, quirks };
}

/** Joined the queue (or went straight to an agent): what a hall would see as a ticket taken. */
export const joined = (c: Call): boolean => c.outcome === 'AGENT' || (c.outcome === 'HANG' && c.qTime > 0);
/** Hung up while waiting in the queue: the hall's no-show (left before being called). */
export const abandoned = (c: Call): boolean => c.outcome === 'HANG' && c.qTime > 0;
