/**
 * A screen's view of the hall, kept from one snapshot and the ordered facts after it (S1–S3). Pure: every
 * screen (React, a device bridge, a test) folds facts with `applyFact` and asks `classifyFact` first.
 */
import type { CounterToday, DevicePresence, FactMessage, RecentCall, Snapshot } from './protocol.js';
import type { Counter, Evaluation, HallInfo, QueueSummary, Service, TicketView } from './schemas.js';

export interface HallView {
  epoch: string;
  seq: number;
  serverTime: string;
  hall: HallInfo;
  services: Service[];
  counters: Counter[];
  /** Today's tickets that wait, are called or served, by id. */
  tickets: Record<string, TicketView>;
  queues: Record<string, QueueSummary>;
  /** Newest first, at most RECENT_CALLS_KEPT. */
  recentCalls: RecentCall[];
  /** Evaluations recorded since the snapshot, newest first (at most 50). */
  evaluations: Evaluation[];
  /** Paired devices by id, and whether each is connected now (managers and admins only). */
  devices: Record<string, DevicePresence>;
  /** Each counter's finished tickets and no-shows today, by counter id (counted on as facts arrive). */
  today: Record<string, CounterToday>;
}

export const RECENT_CALLS_KEPT = 20;
const ACTIVE = new Set(['waiting', 'called', 'serving']);

export function viewFromSnapshot(s: Snapshot): HallView {
  return {
    epoch: s.epoch,
    seq: s.seq,
    serverTime: s.serverTime,
    hall: s.hall,
    services: s.services,
    counters: s.counters,
    tickets: Object.fromEntries(s.tickets.map((t) => [t.id, t])),
    queues: Object.fromEntries(s.queues.map((q) => [q.serviceId, q])),
    recentCalls: s.recentCalls.slice(0, RECENT_CALLS_KEPT),
    evaluations: [],
    devices: Object.fromEntries(s.devices.map((d) => [d.deviceId, d])),
    today: Object.fromEntries(s.today.map((c) => [c.counterId, c])),
  };
}

function withTicket(view: HallView, t: TicketView): Record<string, TicketView> {
  const tickets = { ...view.tickets };
  if (ACTIVE.has(t.status) && t.businessDay === view.hall.businessDay) tickets[t.id] = t;
  else delete tickets[t.id];
  return tickets;
}

function withCounter(view: HallView, c: Counter | null): Counter[] {
  if (!c) return view.counters;
  return view.counters.map((x) => (x.id === c.id ? c : x));
}

/** Folds one fact (already classified 'apply') into the view. Facts carry whole entities: last one wins. */
export function applyFact(view: HallView, f: FactMessage): HallView {
  const base = { ...view, seq: f.seq, serverTime: f.at };
  switch (f.type) {
    case 'ticket:issued':
    case 'ticket:reactivated':
      return { ...base, tickets: withTicket(view, f.ticket) };
    case 'ticket:called':
    case 'ticket:recalled':
      return {
        ...base,
        tickets: withTicket(view, f.ticket),
        counters: withCounter(view, f.counter),
        recentCalls: [f.call, ...view.recentCalls].slice(0, RECENT_CALLS_KEPT),
      };
    case 'ticket:finished':
    case 'ticket:no-show': {
      const id = f.ticket.counterId ?? f.counter.id;
      const was = view.today[id] ?? { counterId: id, served: 0, noShows: 0 };
      const now = f.type === 'ticket:finished' ? { ...was, served: was.served + 1 } : { ...was, noShows: was.noShows + 1 };
      return {
        ...base,
        tickets: withTicket(view, f.ticket),
        counters: withCounter(view, f.counter),
        today: { ...view.today, [id]: now },
      };
    }
    case 'ticket:started':
    case 'ticket:transferred':
    case 'ticket:cancelled':
      return { ...base, tickets: withTicket(view, f.ticket), counters: withCounter(view, f.counter) };
    case 'counter:opened':
    case 'counter:paused':
    case 'counter:resumed':
    case 'counter:closed':
      return { ...base, counters: withCounter(view, f.counter) };
    case 'queue:updated': {
      const queues = { ...view.queues };
      for (const q of f.queues) queues[q.serviceId] = q;
      return { ...base, queues };
    }
    case 'evaluation:recorded':
      return { ...base, evaluations: [f.evaluation, ...view.evaluations].slice(0, 50) };
    case 'hall:notice-changed':
      return { ...base, hall: { ...view.hall, notice: f.notice } };
    case 'day:changed':
      return {
        ...base,
        hall: { ...view.hall, businessDay: f.businessDay },
        tickets: Object.fromEntries(Object.entries(view.tickets).filter(([, t]) => t.businessDay === f.businessDay)),
        recentCalls: [],
        today: {},
      };
    default: {
      const never: never = f;
      return never;
    }
  }
}

/** A device came, went or was revoked (managers' and admins' views; no sequence number). */
export function applyPresence(view: HallView, d: DevicePresence): HallView {
  const devices = { ...view.devices, [d.deviceId]: d };
  if (d.revoked) delete devices[d.deviceId];
  return { ...view, devices };
}
