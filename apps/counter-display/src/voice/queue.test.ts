import { describe, expect, it } from 'vitest';
import { type Announcement, announcementFor } from './announce.js';
import { type VoiceEngine, VoiceQueue } from './queue.js';

/** An engine that takes `ms` per announcement and notes when it starts and ends, and whether two overlapped. */
function fakeEngine(ms: number, opts: { fail?: string; hang?: string } = {}) {
  const events: string[] = [];
  let speaking = 0;
  let overlapped = false;
  let stopped = 0;
  const engine: VoiceEngine = {
    name: 'fake',
    async say(a: Announcement) {
      speaking += 1;
      if (speaking > 1) overlapped = true;
      events.push(`start ${a.text}`);
      try {
        if (a.text.includes(opts.fail ?? '\u0000')) throw new Error('no sound');
        if (a.text.includes(opts.hang ?? '\u0000')) await new Promise(() => {});
        await new Promise((r) => setTimeout(r, ms));
        events.push(`end ${a.text}`);
      } finally {
        speaking -= 1;
      }
    },
    stop() {
      stopped += 1;
      speaking = 0;
    },
  };
  return { engine, events, overlapped: () => overlapped, stopped: () => stopped };
}

const call = (n: number, counter = 1, at = `t${n}`) =>
  announcementFor({ ticketId: `id${n}`, number: `A${String(n).padStart(3, '0')}`, counterNumber: counter, at });

describe('the voice queue', () => {
  it('says calls that arrive together one after the other, in order, none lost', async () => {
    const f = fakeEngine(15);
    const q = new VoiceQueue(() => f.engine, { gapMs: 0 });
    q.enqueue(call(1, 1));
    q.enqueue(call(2, 2));
    q.enqueue(call(3, 5));
    expect(q.record.received).toEqual(['请A001号到1号窗口办理', '请A002号到2号窗口办理', '请A003号到5号窗口办理']);
    await q.idle();
    expect(f.events).toEqual([
      'start 请A001号到1号窗口办理',
      'end 请A001号到1号窗口办理',
      'start 请A002号到2号窗口办理',
      'end 请A002号到2号窗口办理',
      'start 请A003号到5号窗口办理',
      'end 请A003号到5号窗口办理',
    ]);
    expect(f.overlapped()).toBe(false);
    expect(q.record.announced).toEqual(q.record.received);
    expect(q.record.log.map((e) => e.outcome)).toEqual(['said', 'said', 'said']);
    for (let i = 1; i < q.record.log.length; i++)
      expect(q.record.log[i]?.startedAt).toBeGreaterThanOrEqual(q.record.log[i - 1]?.endedAt ?? Number.POSITIVE_INFINITY);
    expect(q.record.playing).toBe(false);
  });

  it('announces each call once; a recall (a new call of the same ticket) again', async () => {
    const f = fakeEngine(1);
    const q = new VoiceQueue(() => f.engine, { gapMs: 0 });
    expect(q.enqueue(call(1, 1, 'at-1'))).toBe(true);
    expect(q.enqueue(call(1, 1, 'at-1'))).toBe(false);
    expect(q.enqueue(call(1, 1, 'at-2'))).toBe(true);
    await q.idle();
    expect(q.record.announced).toEqual(['请A001号到1号窗口办理', '请A001号到1号窗口办理']);
  });

  it('does not announce the calls it was told were made before it started', async () => {
    const f = fakeEngine(1);
    const q = new VoiceQueue(() => f.engine, { gapMs: 0 });
    q.remember(call(1).key);
    expect(q.enqueue(call(1))).toBe(false);
    await q.idle();
    expect(q.record.announced).toEqual([]);
  });

  it('goes on after an engine that fails, and stops one that hangs at its deadline', async () => {
    const f = fakeEngine(1, { fail: 'A001', hang: 'A002' });
    const q = new VoiceQueue(() => f.engine, { gapMs: 0, deadline: () => 30 });
    q.enqueue(call(1));
    q.enqueue(call(2));
    q.enqueue(call(3));
    await q.idle();
    expect(q.record.log.map((e) => e.outcome)).toEqual(['failed', 'timed-out', 'said']);
    expect(f.stopped()).toBe(1);
    expect(q.record.announced).toHaveLength(3);
  });

  it('keeps a bounded record on a screen that runs all day', async () => {
    const f = fakeEngine(0);
    const q = new VoiceQueue(() => f.engine, { gapMs: 0, keep: 5 });
    for (let i = 1; i <= 12; i++) q.enqueue(call(i));
    await q.idle();
    expect(q.record.announced).toHaveLength(5);
    expect(q.record.announced.at(-1)).toBe('请A012号到1号窗口办理');
  });
});
