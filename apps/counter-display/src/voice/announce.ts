/**
 * What the hall screen says for a call, pure: the announcement's text (what the hall shows and tests read),
 * the text a speech voice reads, and the sequence of pre-recorded clips that says the same thing when the
 * screen has no zh-CN voice.
 *
 * The template is the hall's; `{number}` is the ticket number, `{counter}` the counter's number. Ticket numbers
 * are read digit by digit, the way halls read them (A023 → "A零二三", spokenTicketNumber of @yimen/shared);
 * counter numbers as numbers (5 → 五, 12 → 十二): "请A零二三号到十二号窗口办理".
 */
import { spokenTicketNumber } from '@yimen/shared';

export const DEFAULT_TEMPLATE = '请{number}号到{counter}号窗口办理';
/** Calls this much older than the server's time are not announced after a reconnection. */
export const CATCH_UP_MS = 120_000;

/** A call as the voice needs it (a RecentCall of @yimen/shared fits). */
export interface CallToAnnounce {
  number: string;
  counterNumber: number;
  /** true for 重呼: announced again, in the same words. */
  recall?: boolean;
}

export interface Announcement {
  /** A key that tells one call from another (a recall is another call). */
  key: string;
  /** As shown and logged: "请A001号到1号窗口办理". */
  text: string;
  /** As a zh-CN speech voice reads it: "请A零零一号到一号窗口办理". */
  spoken: string;
  /** The clips that say it, chime first (names of public/voice/{name}.ogg). */
  clips: string[];
  recall: boolean;
}

const DIGITS = ['零', '一', '二', '三', '四', '五', '六', '七', '八', '九'] as const;

/** A counter's number as a cardinal: 1 → 一, 10 → 十, 12 → 十二, 20 → 二十, 105 → 一百零五, 1010 → 一千零一十. */
export function cardinalNumber(n: number): string {
  if (!Number.isInteger(n) || n < 0 || n > 9999) return spokenTicketNumber(String(n));
  if (n < 10) return DIGITS[n] as string;
  const units = ['千', '百', '十', ''] as const;
  const digits = String(n).padStart(4, '0').split('').map(Number);
  let out = '';
  let zero = false;
  digits.forEach((d, i) => {
    if (d === 0) {
      if (out !== '') zero = true;
      return;
    }
    if (zero) out += '零';
    zero = false;
    out += (DIGITS[d] as string) + units[i];
  });
  // 10–19 are read 十, 十一 … not 一十一
  return n >= 10 && n < 20 ? out.slice(1) : out;
}

function fill(template: string, values: { number: string; counter: string }): string {
  return template.replaceAll('{number}', values.number).replaceAll('{counter}', values.counter);
}

/** The announcement as shown: "请A001号到1号窗口办理". */
export function announcementText(call: CallToAnnounce, template = DEFAULT_TEMPLATE): string {
  return fill(template, { number: call.number, counter: String(call.counterNumber) });
}

/** The announcement as a speech voice should read it: "请A零零一号到一号窗口办理". */
export function spokenText(call: CallToAnnounce, template = DEFAULT_TEMPLATE): string {
  return fill(template, { number: spokenTicketNumber(call.number), counter: cardinalNumber(call.counterNumber) });
}

/**
 * The words there are clips for, and the clip that says each; scripts/make-voice-clips.sh makes them.
 * The longest word that matches is taken first ("窗口办理" is one clip, joined more smoothly than two).
 */
export const CLIP_WORDS: Readonly<Record<string, string>> = {
  请: 'qing',
  号: 'hao',
  到: 'dao',
  前往: 'qianwang',
  窗口: 'chuangkou',
  办理: 'banli',
  窗口办理: 'chuangkou-banli',
  十: 'shi',
  百: 'bai',
  千: 'qian',
  ...Object.fromEntries(DIGITS.map((d, i) => [d, `d${i}`])),
  ...Object.fromEntries(Array.from('ABCDEFGHIJKLMNOPQRSTUVWXYZ', (l) => [l, `letter-${l.toLowerCase()}`])),
};
export const CHIME = 'chime';
const LONGEST_WORD = Math.max(...Object.keys(CLIP_WORDS).map((w) => w.length));

/**
 * The clips that say a spoken text, longest word first; what has no clip (a hall's own words in its
 * template) is left out and listed in `missing`, so the screen can say so once.
 */
export function clipsFor(spoken: string): { clips: string[]; missing: string[] } {
  const clips: string[] = [];
  const missing: string[] = [];
  let i = 0;
  while (i < spoken.length) {
    let matched = false;
    for (let len = Math.min(LONGEST_WORD, spoken.length - i); len > 0; len--) {
      const clip = CLIP_WORDS[spoken.slice(i, i + len)];
      if (clip) {
        clips.push(clip);
        i += len;
        matched = true;
        break;
      }
    }
    if (!matched) {
      const c = spoken[i] as string;
      if (c.trim() !== '' && !/[，。,.!！、]/.test(c)) missing.push(c);
      i += 1;
    }
  }
  return { clips, missing };
}

/**
 * The key of one call: its ticket and its time, the time as a number so that the same call sent again in
 * another format (a snapshot after a server restart) is still the same call.
 */
export function callKey(call: { ticketId?: string; number: string; at?: string }): string {
  const at = call.at === undefined ? '' : Date.parse(call.at);
  return `${call.ticketId ?? call.number}@${Number.isNaN(at) ? call.at : at}`;
}

/** Everything the voice needs for one call. */
export function announcementFor(
  call: CallToAnnounce & { ticketId?: string; at?: string },
  template = DEFAULT_TEMPLATE,
): Announcement {
  const spoken = spokenText(call, template);
  return {
    key: callKey(call),
    text: announcementText(call, template),
    spoken,
    clips: [CHIME, ...clipsFor(spoken).clips],
    recall: call.recall ?? false,
  };
}

/**
 * After a new snapshot (a reconnection): of the recent calls (newest first) that were never announced, those
 * made within `withinMs` of the server's time are to be announced, oldest first; the older ones only noted.
 */
export function callsToCatchUp<C extends { ticketId: string; number: string; at: string }>(
  recentCalls: readonly C[],
  serverTime: string,
  known: (key: string) => boolean,
  withinMs = CATCH_UP_MS,
): { announce: C[]; note: string[] } {
  const now = Date.parse(serverTime);
  const announce: C[] = [];
  const note: string[] = [];
  for (const c of [...recentCalls].reverse()) {
    const key = callKey(c);
    if (known(key)) continue;
    if (now - Date.parse(c.at) <= withinMs) announce.push(c);
    else note.push(key);
  }
  return { announce, note };
}
