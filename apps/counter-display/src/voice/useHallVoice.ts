/**
 * The hall screen's voice: every call and recall that reaches the screen is announced once, in the order of
 * the facts. The calls already made when the screen loads are shown, not announced. After a reconnection
 * the new snapshot may hold calls the screen never heard of (the network was cut for a moment): those made
 * in the last two minutes are announced, oldest first; older ones would only confuse the hall.
 *
 * For tests and the hall's IT the queue's record is window.__yimenVoice ({received, announced, log, …}).
 */
import type { HallView } from '@yimen/shared';
import { useCallback, useEffect, useRef, useState } from 'react';
import type { HallConnection } from '../lib/connection.js';
import { announcementFor, CATCH_UP_MS, callKey, callsToCatchUp, DEFAULT_TEMPLATE } from './announce.js';
import { ClipEngine, pickEngine } from './engines.js';
import { VoiceQueue, type VoiceRecord } from './queue.js';

declare global {
  interface Window {
    __yimenVoice?: VoiceRecord;
  }
}

/** The hall's call template (settings.voiceTemplate, with {number} and {counter}); else the default. */
export function templateOf(view: HallView): string {
  const t = view.hall.voiceTemplate;
  return typeof t === 'string' && t.includes('{number}') && t.includes('{counter}') ? t : DEFAULT_TEMPLATE;
}

export function useHallVoice(connection: HallConnection, view: HallView): { blocked: boolean; unlock: () => void } {
  const [blocked, setBlocked] = useState(false);
  const queueRef = useRef<VoiceQueue | null>(null);
  const clipsRef = useRef<ClipEngine | null>(null);
  const viewRef = useRef(view);
  viewRef.current = view;

  useEffect(() => {
    const clips = new ClipEngine();
    const queue = new VoiceQueue(() => pickEngine(clips));
    clipsRef.current = clips;
    queueRef.current = queue;
    window.__yimenVoice = queue.record;
    // what is on screen at load was announced before this screen existed
    for (const c of viewRef.current.recentCalls) queue.remember(callKey(c));
    const offBlocked = clips.onBlockedChange(setBlocked);
    clips.preload();
    const offFact = connection.onFact((f) => {
      if (f.type === 'ticket:called' || f.type === 'ticket:recalled')
        queue.enqueue(announcementFor(f.call, templateOf(viewRef.current)));
    });
    return () => {
      offFact();
      offBlocked();
      queue.close();
      clips.close();
      queueRef.current = null;
      clipsRef.current = null;
    };
  }, [connection]);

  // a snapshot after a reconnection: the recent calls this screen has not heard of
  useEffect(() => {
    const queue = queueRef.current;
    if (!queue) return;
    const { announce, note } = callsToCatchUp(view.recentCalls, view.serverTime, (k) => queue.has(k), CATCH_UP_MS);
    for (const key of note) queue.remember(key);
    for (const c of announce) queue.enqueue(announcementFor(c, templateOf(view)));
  }, [view]);

  const unlock = useCallback(() => {
    void clipsRef.current?.unlock();
  }, []);
  return { blocked, unlock };
}
