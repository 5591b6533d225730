/**
 * Group commit: the writes of every command that arrives in one turn of the event loop share one SQLite
 * transaction and so one fsync (synchronous=FULL). Each command still runs in a savepoint of its own, so a
 * failing command rolls back alone. Nobody is answered, and no fact is broadcast, before the commit: the
 * adapters await `durable()` before they reply, and facts are published from `afterCommit`.
 */
import type { Db } from './db.js';

interface Waiter {
  resolve: () => void;
  reject: (e: Error) => void;
}

export class GroupCommit {
  private waiters: Waiter[] = [];
  private after: (() => void)[] = [];
  private scheduled = false;
  /** Commits so far, and the commands they carried (for the benchmarks' notes). */
  readonly stats = { commits: 0, writes: 0 };

  constructor(
    private readonly db: Db,
    /** Called when a commit fails: the in-memory state has run ahead of the file and must be rebuilt. */
    private readonly onFailure: (e: Error) => void,
  ) {}

  /** Runs `fn` (its writes) inside the open batch, opening one; its writes roll back alone if it throws. */
  write<T>(fn: () => T): T {
    if (!this.db.inTransaction) this.db.exec('BEGIN IMMEDIATE');
    if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(() => this.flush());
    }
    this.stats.writes++;
    return this.db.transaction(fn)();
  }

  /** true while writes wait for their commit. */
  get pending(): boolean {
    return this.db.inTransaction;
  }

  /** Runs `cb` once everything written so far is durable (at once when nothing is pending). */
  afterCommit(cb: () => void): void {
    if (this.db.inTransaction) this.after.push(cb);
    else cb();
  }

  /** Resolves once everything written so far is durable; rejects when that commit failed. */
  durable(): Promise<void> {
    if (!this.db.inTransaction) return Promise.resolve();
    return new Promise((resolve, reject) => this.waiters.push({ resolve, reject }));
  }

  /** Commits the open batch now (also used before the database closes). */
  flush(): void {
    this.scheduled = false;
    const waiters = this.waiters;
    const after = this.after;
    this.waiters = [];
    this.after = [];
    if (this.db.inTransaction) {
      try {
        this.db.exec('COMMIT');
        this.stats.commits++;
      } catch (e) {
        try {
          if (this.db.inTransaction) this.db.exec('ROLLBACK');
        } catch {
          // the rollback of a failed commit can fail too; the rebuild below reads what the file holds
        }
        const err = e instanceof Error ? e : new Error(String(e));
        this.onFailure(err);
        for (const w of waiters) w.reject(err);
        return;
      }
    }
    for (const cb of after) cb();
    for (const w of waiters) w.resolve();
  }
}
