/**
 * I8 P1 P2: group commit. The commands of one event-loop turn share one transaction (one fsync); nobody is
 * answered and no fact leaves before the commit; a failed commit fails its waiters and leaves the rest working.
 */
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { openDb } from '../../src/adapters/db.js';
import { GroupCommit } from '../../src/adapters/group-commit.js';
import { startServer, type TestServer, tempDir } from '../fixtures.js';

let server: TestServer | undefined;
const cleanups: (() => void)[] = [];
afterEach(async () => {
  await server?.close();
  server = undefined;
  for (const c of cleanups.splice(0)) c();
});

function tempDb() {
  const tmp = tempDir();
  cleanups.push(tmp.cleanup);
  const file = join(tmp.dir, 'g.db');
  const db = openDb(file);
  cleanups.unshift(() => db.close());
  db.exec(`CREATE TABLE parent (id INTEGER PRIMARY KEY);
           CREATE TABLE child (id INTEGER PRIMARY KEY, parent INTEGER REFERENCES parent (id) DEFERRABLE INITIALLY DEFERRED)`);
  return { db, file };
}

describe('group commit', () => {
  it('I8 writes of one turn share one commit; afterCommit runs when another connection already sees them', async () => {
    const { db, file } = tempDb();
    const gc = new GroupCommit(db, () => {});
    const reader = new Database(file, { readonly: true });
    cleanups.unshift(() => reader.close());
    let seenAtCallback = -1;
    for (let i = 1; i <= 50; i++) gc.write(() => db.prepare('INSERT INTO parent (id) VALUES (?)').run(i));
    gc.afterCommit(() => {
      seenAtCallback = (reader.prepare('SELECT count(*) AS n FROM parent').get() as { n: number }).n;
    });
    expect((reader.prepare('SELECT count(*) AS n FROM parent').get() as { n: number }).n).toBe(0);
    await gc.durable();
    expect(seenAtCallback).toBe(50);
    expect(gc.stats).toEqual({ commits: 1, writes: 50 });
  });

  it('P1 a failing write rolls back alone; the others of its batch commit', async () => {
    const { db } = tempDb();
    const gc = new GroupCommit(db, () => {});
    gc.write(() => db.prepare('INSERT INTO parent (id) VALUES (1)').run());
    expect(() =>
      gc.write(() => {
        db.prepare('INSERT INTO parent (id) VALUES (2)').run();
        db.prepare('INSERT INTO parent (id) VALUES (1)').run(); // a duplicate: this write fails
      }),
    ).toThrow();
    gc.write(() => db.prepare('INSERT INTO parent (id) VALUES (3)').run());
    await gc.durable();
    expect(db.prepare('SELECT id FROM parent ORDER BY id').pluck().all()).toEqual([1, 3]);
  });

  it('P1 a failed commit rejects its waiters, skips its afterCommit work, reports the failure, and the next batch works', async () => {
    const { db } = tempDb();
    const failures: Error[] = [];
    const gc = new GroupCommit(db, (e) => failures.push(e));
    let published = false;
    gc.write(() => db.prepare('INSERT INTO child (id, parent) VALUES (1, 99)').run()); // deferred FK: fails at COMMIT
    gc.afterCommit(() => {
      published = true;
    });
    await expect(gc.durable()).rejects.toThrow(/FOREIGN KEY/);
    expect(failures).toHaveLength(1);
    expect(published).toBe(false);
    expect(db.inTransaction).toBe(false);
    gc.write(() => db.prepare('INSERT INTO parent (id) VALUES (7)').run());
    await gc.durable();
    expect(db.prepare('SELECT count(*) FROM child').pluck().get()).toBe(0);
    expect(db.prepare('SELECT id FROM parent').pluck().all()).toEqual([7]);
  });

  it('I8 200 tickets issued at once by 20 kiosks take far fewer commits than tickets', async () => {
    server = await startServer();
    const kiosks = await Promise.all(Array.from({ length: 20 }, () => server?.device('kiosk') as Promise<{ token: string }>));
    const before = { ...server.app.commits.stats };
    const answers = await Promise.all(
      Array.from({ length: 200 }, (_, i) =>
        server?.api('POST', '/tickets', kiosks[i % 20]?.token, { serviceId: i % 2 ? 'gen-a' : 'consult', requestId: `g${i}` }),
      ),
    );
    expect(answers.every((a) => a?.status === 201)).toBe(true);
    const commits = server.app.commits.stats.commits - before.commits;
    const writes = server.app.commits.stats.writes - before.writes;
    expect(writes).toBe(200);
    expect(commits).toBeGreaterThan(0);
    expect(commits).toBeLessThan(writes);
  });
});
