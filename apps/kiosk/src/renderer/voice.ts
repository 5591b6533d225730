/**
 * Spoken guidance of 长者模式: the browser's speechSynthesis in zh-CN. Guarded: a browser without it (or
 * without a Chinese voice installed) stays silent and the screen works as before. A new sentence cuts the
 * one being said, so a quick tap never queues a backlog of old instructions.
 */
import { spokenNumber } from './format.js';

export interface Synth {
  speak(u: SpeechSynthesisUtterance): void;
  cancel(): void;
  getVoices(): SpeechSynthesisVoice[];
}

function synth(): Synth | null {
  if (typeof window === 'undefined' || !('speechSynthesis' in window)) return null;
  if (typeof window.SpeechSynthesisUtterance !== 'function') return null;
  return window.speechSynthesis;
}

/** The sentences of each step, in one place so that the screen and the tests agree. */
export const SAY = {
  chooseService: '请选择您要办理的业务',
  chooseCategory: '请选择业务类别',
  placeCard: '请将身份证放在读卡区',
  greeting: (elderly: boolean) => `您好，已读取您的身份证${elderly ? '，您已享受长者优先' : ''}。请选择您要办理的业务`,
  confirm: (service: string, ahead: number | null) =>
    `您选择的是${service}，${ahead === null ? '' : `前面还有${ahead}人，`}请按确认取号`,
  printed: (number: string) => `您的号码是 ${spokenNumber(number)}，请取走号票`,
  fallback: (number: string) => `您的号码是 ${spokenNumber(number)}，请拍照记下您的号码`,
  guide: (service: string) => `这是${service}的办事指南`,
  elderlyOn: '已开启长者模式，字体已放大，将为您语音提示',
} as const;

export function speak(text: string, s: Synth | null = synth()): boolean {
  if (!s) return false;
  try {
    s.cancel();
    const u = new SpeechSynthesisUtterance(text);
    u.lang = 'zh-CN';
    u.rate = 0.9;
    const voice = s.getVoices().find((v) => v.lang.replace('_', '-').toLowerCase().startsWith('zh'));
    if (voice) u.voice = voice;
    s.speak(u);
    return true;
  } catch {
    return false;
  }
}

export function stopSpeaking(s: Synth | null = synth()): void {
  try {
    s?.cancel();
  } catch {
    // nothing to stop
  }
}
