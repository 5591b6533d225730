import { existsSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { spokenTicketNumber } from '@yimen/shared';
import { describe, expect, it } from 'vitest';
import {
  announcementFor,
  announcementText,
  CHIME,
  CLIP_WORDS,
  callKey,
  callsToCatchUp,
  cardinalNumber,
  clipsFor,
  DEFAULT_TEMPLATE,
  spokenText,
} from './announce.js';

describe('the announcement text', () => {
  it('fills the default template with the ticket and counter numbers as shown', () => {
    expect(DEFAULT_TEMPLATE).toBe('请{number}号到{counter}号窗口办理');
    expect(announcementText({ number: 'A001', counterNumber: 1 })).toBe('请A001号到1号窗口办理');
    expect(announcementText({ number: 'A023', counterNumber: 5 })).toBe('请A023号到5号窗口办理');
  });

  it('takes the hall’s own template, every placeholder filled', () => {
    const t = '{number}号请前往{counter}号窗口，{number}号请前往{counter}号窗口';
    expect(announcementText({ number: 'C012', counterNumber: 12 }, t)).toBe('C012号请前往12号窗口，C012号请前往12号窗口');
  });

  it('is spoken with the ticket number digit by digit and the counter number as a number', () => {
    expect(spokenText({ number: 'A023', counterNumber: 5 })).toBe('请A零二三号到五号窗口办理');
    expect(spokenText({ number: 'A001', counterNumber: 1 })).toBe('请A零零一号到一号窗口办理');
    expect(spokenText({ number: 'GJ1000', counterNumber: 12 })).toBe('请GJ一零零零号到十二号窗口办理');
  });

  it('a recall says the same words again, as a new call', () => {
    const first = announcementFor({ ticketId: 't1', number: 'A001', counterNumber: 1, at: '09:00:00' });
    const again = announcementFor({ ticketId: 't1', number: 'A001', counterNumber: 1, at: '09:01:00', recall: true });
    expect(again.text).toBe(first.text);
    expect(again.recall).toBe(true);
    expect(again.key).not.toBe(first.key);
  });
});

describe('how numbers are read', () => {
  it('ticket numbers digit by digit, the way halls read them (shared spokenTicketNumber)', () => {
    expect(spokenTicketNumber('A023')).toBe('A零二三');
    expect(spokenTicketNumber('A100')).toBe('A一零零');
    expect(spokenTicketNumber('B010')).toBe('B零一零');
  });

  it.each([
    [1, '一'],
    [2, '二'],
    [9, '九'],
    [10, '十'],
    [11, '十一'],
    [12, '十二'],
    [19, '十九'],
    [20, '二十'],
    [25, '二十五'],
    [99, '九十九'],
    [100, '一百'],
    [101, '一百零一'],
    [110, '一百一十'],
    [115, '一百一十五'],
    [1000, '一千'],
    [1001, '一千零一'],
    [1010, '一千零一十'],
    [1234, '一千二百三十四'],
    [9999, '九千九百九十九'],
  ])('counter %i is read %s', (n, words) => {
    expect(cardinalNumber(n)).toBe(words);
  });
});

describe('the clip sequence', () => {
  it('is the chime, then each word, letter and digit', () => {
    expect(announcementFor({ number: 'A023', counterNumber: 5 }).clips).toEqual([
      CHIME,
      'qing',
      'letter-a',
      'd0',
      'd2',
      'd3',
      'hao',
      'dao',
      'd5',
      'hao',
      'chuangkou-banli',
    ]);
  });

  it('reads two-digit counters and several letters', () => {
    expect(announcementFor({ number: 'GJ905', counterNumber: 12 }).clips).toEqual([
      CHIME,
      'qing',
      'letter-g',
      'letter-j',
      'd9',
      'd0',
      'd5',
      'hao',
      'dao',
      'shi',
      'd2',
      'hao',
      'chuangkou-banli',
    ]);
  });

  it('leaves out the words it has no clip for, and says which', () => {
    expect(clipsFor('请A零零一号到一号窗口，谢谢')).toEqual({
      clips: ['qing', 'letter-a', 'd0', 'd0', 'd1', 'hao', 'dao', 'd1', 'hao', 'chuangkou'],
      missing: ['谢', '谢'],
    });
  });

  it('every clip it names is shipped, small (public/voice, made by scripts/make-voice-clips.sh)', () => {
    const dir = fileURLToPath(new URL('../../public/voice/', import.meta.url));
    for (const name of [CHIME, ...Object.values(CLIP_WORDS)]) {
      const file = `${dir}${name}.ogg`;
      expect(existsSync(file), file).toBe(true);
      expect(statSync(file).size).toBeLessThan(20_000);
    }
  });
});

describe('calls after a reconnection', () => {
  const call = (id: string, at: string) => ({ ticketId: id, number: id.toUpperCase(), at });

  it('a call is the same call whatever the format of its time', () => {
    expect(callKey(call('t1', '2026-11-30T09:00:03.400+08:00'))).toBe(callKey(call('t1', '2026-11-30T01:00:03.4Z')));
    expect(callKey(call('t1', '2026-11-30T09:00:03.400+08:00'))).not.toBe(callKey(call('t1', '2026-11-30T09:00:04.000+08:00')));
  });

  it('announces the unheard calls of the last two minutes, oldest first; notes the older ones; skips the heard', () => {
    const newestFirst = [
      call('d', '2026-11-30T09:10:00+08:00'),
      call('c', '2026-11-30T09:09:30+08:00'),
      call('b', '2026-11-30T09:09:00+08:00'),
      call('a', '2026-11-30T09:05:00+08:00'),
    ];
    const heard = new Set([callKey(newestFirst[2] as (typeof newestFirst)[number])]);
    const r = callsToCatchUp(newestFirst, '2026-11-30T09:10:05+08:00', (k) => heard.has(k));
    expect(r.announce.map((c) => c.ticketId)).toEqual(['c', 'd']);
    expect(r.note).toEqual([callKey(newestFirst[3] as (typeof newestFirst)[number])]);
  });
});
