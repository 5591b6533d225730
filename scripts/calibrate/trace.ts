/**
 * Exports the Anonymous Bank log (Feb 1999) as trace CSVs for the hall simulator (issue 6).
 *
 *   node --import tsx scripts/calibrate/trace.ts                      # the busiest weekday → docs/data/bank-1999-02-02.csv
 *   node --import tsx scripts/calibrate/trace.ts --day 1999-02-10     # one day → docs/data/bank-1999-02-10.csv (or --out)
 *   node --import tsx scripts/calibrate/trace.ts --all --out-dir DIR  # one file per day
 *   options: --priority-as appointment|elderly   --service-scale K (multiply durations)   --hall-hours
 *            --map PS=soc-card,NW=consult-general (override the stand-in service ids)
 *
 * Columns (header row, comma-separated, sorted by arrival):
 *   arrival     HH:MM:SS the caller joined the queue (left the voice menu); a call that joined after midnight
 *               keeps counting the day's clock (24:00:05)
 *   service     stand-in service id of the demo hall (apps/queue-server/halls/demo-hall.yaml), from the bank's
 *               service type: PS, PE → gen-employment-card; NW → consult-general; NE → fund-withdraw;
 *               TT → pickup-cert; IN → consult-online
 *   priority    none | appointment (or elderly with --priority-as elderly): the bank's priority-2 customers;
 *               priority 0 and 1 → none
 *   duration_s  seconds of service (× --service-scale, rounded), empty when the caller abandoned
 *   no_show     1 when the caller hung up while waiting (abandoned before service), else 0
 *
 * Left out and counted: PHANTOM records and callers who hung up in the voice menu (they never queued).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { abandoned, type Call, type CallType, DEFAULT_LOG, formatTime, joined, REPO, readBankLog, TYPES } from './bank.js';

export const SERVICE_MAP: Record<CallType, string> = {
  PS: 'gen-employment-card',
  PE: 'gen-employment-card',
  NW: 'consult-general',
  NE: 'fund-withdraw',
  TT: 'pickup-cert',
  IN: 'consult-online',
};

export const TRACE_HEADER = 'arrival,service,priority,duration_s,no_show';

export interface TraceOptions {
  priorityAs: 'appointment' | 'elderly';
  serviceScale: number;
  hallHours: boolean;
  serviceMap: Record<CallType, string>;
}

const inHallHours = (s: number): boolean => (s >= 8.5 * 3600 && s < 12 * 3600) || (s >= 13.5 * 3600 && s < 17 * 3600);

export function traceRows(calls: readonly Call[], o: TraceOptions): string[] {
  return calls
    .filter(joined)
    .filter((c) => !o.hallHours || inHallHours(c.vruExit))
    .sort((a, b) => a.vruExit - b.vruExit || Number(a.callId) - Number(b.callId))
    .map((c) => {
      const noShow = abandoned(c);
      const duration = noShow ? '' : String(Math.round(c.serTime * o.serviceScale));
      const priority = c.priority === 2 ? o.priorityAs : 'none';
      return `${formatTime(c.vruExit)},${o.serviceMap[c.type]},${priority},${duration},${noShow ? 1 : 0}`;
    });
}

function main(): void {
  const { values: args } = parseArgs({
    options: {
      log: { type: 'string', default: DEFAULT_LOG },
      day: { type: 'string' },
      all: { type: 'boolean', default: false },
      out: { type: 'string' },
      'out-dir': { type: 'string' },
      'priority-as': { type: 'string', default: 'appointment' },
      'service-scale': { type: 'string', default: '1' },
      'hall-hours': { type: 'boolean', default: false },
      map: { type: 'string' },
    },
  });
  const priorityAs = args['priority-as'];
  if (priorityAs !== 'appointment' && priorityAs !== 'elderly') throw new Error('--priority-as must be appointment or elderly');
  const serviceScale = Number(args['service-scale']);
  if (!(serviceScale > 0)) throw new Error('--service-scale must be a positive number');
  const serviceMap = { ...SERVICE_MAP };
  for (const pair of (args.map ?? '').split(',').filter(Boolean)) {
    const [k, v] = pair.split('=');
    if (!k || !v || !(TYPES as readonly string[]).includes(k)) throw new Error(`--map: bad pair ${pair}`);
    serviceMap[k as CallType] = v;
  }
  const opts: TraceOptions = { priorityAs, serviceScale, hallHours: args['hall-hours'], serviceMap };

  const { calls, rows, skipped } = readBankLog(args.log);
  const phantom = calls.filter((c) => c.outcome === 'PHANTOM').length;
  const vruHang = calls.filter((c) => c.outcome === 'HANG' && c.qTime === 0).length;
  console.error(
    `${rows} rows; skipped ${JSON.stringify(skipped)}; left out ${phantom} PHANTOM and ${vruHang} hung up in the voice menu`,
  );

  const days = [...new Set(calls.map((c) => c.date))].sort();
  const write = (day: string, path: string): void => {
    const lines = traceRows(
      calls.filter((c) => c.date === day),
      opts,
    );
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, `${[TRACE_HEADER, ...lines].join('\n')}\n`);
    const noShows = lines.filter((l) => l.endsWith(',1')).length;
    const prio = lines.filter((l) => l.includes(`,${priorityAs},`)).length;
    console.error(`${day}: ${lines.length} rows (${noShows} no-shows, ${prio} ${priorityAs}) → ${path}`);
  };

  if (args.all) {
    const dir = args['out-dir'];
    if (!dir) throw new Error('--all needs --out-dir');
    for (const d of days) write(d, join(resolve(dir), `bank-${d}.csv`));
    return;
  }
  let day = args.day;
  if (day === undefined) {
    // The busiest Sunday–Thursday (the bank's working week) by queue joins.
    const counts = days
      .filter((d) => calls.find((c) => c.date === d)?.dayType === 'sun-thu')
      .map((d) => ({ d, n: calls.filter((c) => c.date === d && joined(c)).length }))
      .sort((a, b) => b.n - a.n);
    day = counts[0]?.d;
  }
  if (day === undefined || !days.includes(day)) throw new Error(`--day must be one of ${days[0]} … ${days.at(-1)}`);
  write(day, args.out ? resolve(args.out) : resolve(REPO, 'docs', 'data', `bank-${day}.csv`));
}

main();
