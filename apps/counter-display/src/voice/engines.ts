/// <reference types="vite/client" />
/**
 * The two ways the hall screen speaks. Both play the chime first.
 * - SpeechEngine: the Web Speech API (speechSynthesis) with a zh-CN voice, when the screen's system has one.
 * - ClipEngine: the pre-recorded clips of public/voice (scripts/make-voice-clips.sh) joined end to end with
 *   the Web Audio API, sample-accurate, when it has none (Debian Chromium has no speech voice of its own).
 *
 * Sound without a click: browsers keep a page silent until someone touches it. A hall screen runs unattended
 * in kiosk mode, so start Chromium with the flag
 *     chromium --kiosk --autoplay-policy=no-user-gesture-required http://<server>:8080/hall
 * Without it the screen shows a small "点击屏幕启用语音播报" until someone clicks (or taps) it once.
 */
import { type Announcement, CHIME, CLIP_WORDS } from './announce.js';
import type { VoiceEngine } from './queue.js';

/** Where the clips are served: /screens/voice/ (Vite copies public/ into the build). */
export const CLIP_BASE = `${import.meta.env.BASE_URL}voice/`;
/** A short silence after the chime, before the words (seconds). */
const AFTER_CHIME = 0.25;

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Joins clips with Web Audio; knows whether the browser lets it play. */
export class ClipEngine implements VoiceEngine {
  readonly name = 'clips';
  private ctx: AudioContext | null = null;
  private readonly buffers = new Map<string, Promise<AudioBuffer | null>>();
  private sources: AudioBufferSourceNode[] = [];
  private blockedNow = false;
  private readonly blockedListeners = new Set<(blocked: boolean) => void>();

  constructor(private readonly base = CLIP_BASE) {}

  get blocked(): boolean {
    return this.blockedNow;
  }

  onBlockedChange(listener: (blocked: boolean) => void): () => void {
    this.blockedListeners.add(listener);
    return () => this.blockedListeners.delete(listener);
  }

  /** Loads the clips ahead, so the first call is not late. */
  preload(names: readonly string[] = [CHIME, ...new Set(Object.values(CLIP_WORDS))]): void {
    for (const n of names) void this.load(n);
  }

  /** After a click or a tap: the browser now lets the page play. */
  async unlock(): Promise<void> {
    const ctx = this.context();
    if (!ctx) return;
    await ctx.resume().catch(() => undefined);
    this.setBlocked(ctx.state !== 'running');
  }

  async say(a: Announcement): Promise<void> {
    await this.play(a.clips);
  }

  /** Plays clips one after the other, without gaps; resolves when the last has ended. */
  async play(names: readonly string[]): Promise<void> {
    const ctx = this.context();
    if (!ctx) throw new Error('no Web Audio');
    if (ctx.state !== 'running') await Promise.race([ctx.resume().catch(() => undefined), sleep(400)]);
    this.setBlocked(ctx.state !== 'running');
    if (ctx.state !== 'running') throw new Error('audio blocked by the browser (autoplay policy)');
    const buffers = await Promise.all(names.map((n) => this.load(n)));
    const playable = names.map((n, i) => ({ name: n, buffer: buffers[i] })).filter((c) => c.buffer);
    if (playable.length === 0) throw new Error('no clip could be loaded');
    let at = ctx.currentTime + 0.05;
    let last: AudioBufferSourceNode | null = null;
    this.sources = [];
    for (const { name, buffer } of playable) {
      const src = ctx.createBufferSource();
      src.buffer = buffer as AudioBuffer;
      src.connect(ctx.destination);
      src.start(at);
      at += (buffer as AudioBuffer).duration + (name === CHIME ? AFTER_CHIME : 0);
      this.sources.push(src);
      last = src;
    }
    const end = last as AudioBufferSourceNode;
    await new Promise<void>((resolve) => {
      end.onended = () => resolve();
    });
    this.sources = [];
  }

  stop(): void {
    for (const s of this.sources) {
      try {
        s.onended = null;
        s.stop();
      } catch {
        // not started yet or already stopped
      }
    }
    this.sources = [];
  }

  close(): void {
    this.stop();
    void this.ctx?.close().catch(() => undefined);
    this.ctx = null;
  }

  private context(): AudioContext | null {
    if (this.ctx) return this.ctx;
    if (typeof AudioContext === 'undefined') return null;
    this.ctx = new AudioContext();
    this.setBlocked(this.ctx.state !== 'running');
    this.ctx.onstatechange = () => this.setBlocked(this.ctx?.state === 'suspended');
    return this.ctx;
  }

  private load(name: string): Promise<AudioBuffer | null> {
    const known = this.buffers.get(name);
    if (known) return known;
    const ctx = this.context();
    if (!ctx) return Promise.resolve(null);
    const loading = fetch(`${this.base}${name}.ogg`)
      .then((r) => {
        if (!r.ok) throw new Error(`${r.status}`);
        return r.arrayBuffer();
      })
      .then((bytes) => ctx.decodeAudioData(bytes))
      .catch(() => {
        // a lost network: try again next time
        this.buffers.delete(name);
        return null;
      });
    this.buffers.set(name, loading);
    return loading;
  }

  private setBlocked(blocked: boolean): void {
    if (blocked === this.blockedNow) return;
    this.blockedNow = blocked;
    for (const l of this.blockedListeners) l(blocked);
  }
}

/** The system's Mandarin voice, if it has one (zh-CN first; never Cantonese or Taiwanese voices). */
export function mandarinVoice(): SpeechSynthesisVoice | null {
  if (typeof speechSynthesis === 'undefined') return null;
  const voices = speechSynthesis.getVoices();
  const lang = (v: SpeechSynthesisVoice) => v.lang.replaceAll('_', '-').toLowerCase();
  return (
    voices.find((v) => lang(v) === 'zh-cn') ??
    voices.find((v) => ['zh', 'cmn', 'zh-hans', 'zh-hans-cn', 'cmn-cn', 'cmn-hans-cn'].includes(lang(v))) ??
    null
  );
}

/** speechSynthesis with a zh-CN voice; the chime from the clips. */
export class SpeechEngine implements VoiceEngine {
  readonly name = 'speech';
  /** Kept while speaking: Chromium forgets an utterance's end if nothing holds it. */
  private utterance: SpeechSynthesisUtterance | null = null;

  constructor(
    private readonly voice: SpeechSynthesisVoice,
    private readonly clips: ClipEngine,
  ) {}

  async say(a: Announcement): Promise<void> {
    await this.clips.play([CHIME]).catch(() => undefined);
    await new Promise<void>((resolve, reject) => {
      const u = new SpeechSynthesisUtterance(a.spoken);
      u.lang = 'zh-CN';
      u.voice = this.voice;
      u.rate = 0.85;
      u.onend = () => resolve();
      u.onerror = (e) => reject(new Error(e.error));
      this.utterance = u;
      speechSynthesis.speak(u);
    }).finally(() => {
      this.utterance = null;
    });
  }

  stop(): void {
    this.clips.stop();
    if (this.utterance) speechSynthesis.cancel();
  }
}

/**
 * Which engine speaks the next call: speech when a Mandarin voice exists, else the clips. A screen can be
 * held to the clips with localStorage "yimen.voice" = "clips" (a system voice that sounds poor).
 */
export function pickEngine(clips: ClipEngine): VoiceEngine {
  let forced: string | null = null;
  try {
    forced = localStorage.getItem('yimen.voice');
  } catch {
    // no storage: the default
  }
  const voice = forced === 'clips' ? null : mandarinVoice();
  return voice ? new SpeechEngine(voice, clips) : clips;
}
