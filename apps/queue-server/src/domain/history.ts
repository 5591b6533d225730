/**
 * What the wait estimate (SPEC.md W3, W4) and the simulator's predictors remember of the day, kept OUTSIDE
 * the domain state: a few ring buffers per service and per counter. Pure: whoever drives the core feeds it,
 * the server (app/hall-service.ts) and the simulator (sim/engine.ts) through the same `learn`, and the
 * server rebuilds it from today's tickets with `rebuildHistory` when it starts.
 */
import type { CounterConfig } from '@yimen/shared';
import type { DomainEvent } from './commands.js';
import type { TicketRecord } from './model.js';

/** A fixed-size ring: the last `size` pushed, oldest first. */
export class Ring<T = number> {
  private readonly items: T[] = [];
  private next = 0;
  constructor(readonly size: number) {
    if (!(size >= 1)) throw new Error('Ring size must be ≥ 1');
  }
  push(x: T): void {
    if (this.items.length < this.size) this.items.push(x);
    else {
      this.items[this.next] = x;
      this.next = (this.next + 1) % this.size;
    }
  }
  get length(): number {
    return this.items.length;
  }
  /** Calls `f` on every item, oldest first, without copying (the hot path of the estimate). */
  forEach(f: (x: T) => void): void {
    for (let i = this.next; i < this.items.length; i++) f(this.items[i] as T);
    for (let i = 0; i < this.next; i++) f(this.items[i] as T);
  }
  /** The last `k` pushed (all when fewer), newest last. */
  last(k = this.size): T[] {
    const ordered = [...this.items.slice(this.next), ...this.items.slice(0, this.next)];
    return ordered.slice(Math.max(0, ordered.length - k));
  }
}

/**
 * What the predictors remember of the day: per service, the last waits at call (the simulator's les and
 * rolling averages; the server does not keep them) and counter minutes per ticket (W3); per counter, the
 * services of its last calls (W4's shares).
 */
export class PredictorHistory {
  private readonly waits = new Map<string, Ring>();
  private readonly occupancy = new Map<string, Ring>();
  private readonly calls = new Map<string, Ring<string>>();
  constructor(readonly size = 20) {}
  private ring<T>(m: Map<string, Ring<T>>, key: string): Ring<T> {
    let r = m.get(key);
    if (!r) {
      r = new Ring<T>(this.size);
      m.set(key, r);
    }
    return r;
  }
  /** A counter called a ticket of `serviceId` (every call, transferred tickets too). */
  counterCalled(counterId: string, serviceId: string): void {
    this.ring(this.calls, counterId).push(serviceId);
  }
  /**
   * What `share` counts, as a tally: per service, how many of the counter's last calls were for it (before
   * its first call: how many of its services it is), and out of how many. share(c, S) = Σ_{x ∈ S} counts(x) / of.
   */
  shareTally(counter: CounterConfig): { counts: Map<string, number>; of: number } {
    const counts = new Map<string, number>();
    const add = (x: string) => counts.set(x, (counts.get(x) ?? 0) + 1);
    const recent = this.calls.get(counter.id);
    if (recent && recent.length > 0) {
      recent.forEach(add);
      return { counts, of: recent.length };
    }
    for (const x of counter.serviceIds) add(x);
    return { counts, of: counter.serviceIds.length };
  }
  /**
   * The share of a counter's time given to `services`: of its last calls, the share that were for one of
   * them; before its first call, the share of its services that are among them.
   */
  share(counter: CounterConfig, services: ReadonlySet<string>): number {
    const recent = this.calls.get(counter.id);
    if (recent && recent.length > 0) {
      let n = 0;
      recent.forEach((x) => {
        if (services.has(x)) n++;
      });
      return n / recent.length;
    }
    const xs = counter.serviceIds;
    return xs.length === 0 ? 0 : xs.filter((x) => services.has(x)).length / xs.length;
  }
  /** A ticket of `serviceId` was called after waiting `minutes` since issue (first calls only). */
  called(serviceId: string, minutes: number): void {
    this.ring(this.waits, serviceId).push(minutes);
  }
  /** A counter spent `minutes` on a ticket of `serviceId`, from its call until it could call again. */
  released(serviceId: string, minutes: number): void {
    this.ring(this.occupancy, serviceId).push(minutes);
  }
  /** The last k waits of a service, newest last. */
  lastWaits(serviceId: string, k: number): number[] {
    return this.waits.get(serviceId)?.last(k) ?? [];
  }
  /** Mean counter minutes per ticket of a service, or null before its first release. */
  meanOccupancy(serviceId: string): number | null {
    const r = this.occupancy.get(serviceId);
    if (!r || r.length === 0) return null;
    let sum = 0; // oldest first, as before: the same sum to the last bit
    r.forEach((x) => {
      sum += x;
    });
    return sum / r.length;
  }
}

/**
 * Feeds the history with the events of one command at `now` (W3): a call tells which service the counter
 * gave its time to; a finish, no-show or transfer, how many minutes the counter held the ticket since its
 * call, for the service it was called for. Recalls, starts and cancellations teach nothing.
 */
export function learn(history: PredictorHistory, events: readonly DomainEvent[], now: number): void {
  for (const e of events) {
    if (e.counterId === null || e.ticketId === null) continue;
    if (e.type === 'ticket:called') history.counterCalled(e.counterId, (e.after as TicketRecord).serviceId);
    else if (e.type === 'ticket:finished' || e.type === 'ticket:no-show' || e.type === 'ticket:transferred') {
      const held = (e.before ?? e.after) as TicketRecord;
      if (held.calledAt !== null) history.released(held.serviceId, (now - held.calledAt) / 60_000);
    }
  }
}

/**
 * The history as `learn` would have left it, from the day's stored tickets, in the order of their calls: a
 * restart keeps the estimates. What the tickets no longer show is lost: the legs before a transfer (the
 * transferred ticket is called afresh), and a ticket still held counts as a call only.
 */
export function rebuildHistory(tickets: readonly TicketRecord[], size?: number): PredictorHistory {
  const history = new PredictorHistory(size);
  const called = tickets.filter((t) => t.calledAt !== null && t.counterId !== null);
  called.sort((a, b) => (a.calledAt ?? 0) - (b.calledAt ?? 0));
  for (const t of called) {
    history.counterCalled(t.counterId as string, t.serviceId);
    if ((t.status === 'done' || t.status === 'no_show') && t.finishedAt !== null)
      history.released(t.serviceId, (t.finishedAt - (t.calledAt ?? 0)) / 60_000);
  }
  return history;
}
