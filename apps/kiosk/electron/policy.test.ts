/** The window's rules (policy.ts), pure: tested in Node, as Electron cannot run on this machine (no binary). */
import { describe, expect, it } from 'vitest';
import { connectingPage, isSameOrigin, isZoomInput, kioskUrl, notReadyPage, originOf } from './policy.js';

const SERVER = 'http://192.168.1.10:8080';

function pageText(dataUrl: string): string {
  expect(dataUrl.startsWith('data:text/html;charset=utf-8,')).toBe(true);
  return decodeURIComponent(dataUrl.slice(dataUrl.indexOf(',') + 1));
}

describe('kioskUrl', () => {
  it('is <serverUrl>/kiosk?token=…, the token encoded', () => {
    expect(kioskUrl(SERVER, 'abc')).toBe(`${SERVER}/kiosk?token=abc`);
    expect(kioskUrl(`${SERVER}/`, 'a+b/c=')).toBe(`${SERVER}/kiosk?token=a%2Bb%2Fc%3D`);
    expect(kioskUrl('https://hall.example/yimen//', 't')).toBe('https://hall.example/yimen/kiosk?token=t');
    expect(kioskUrl(SERVER, '')).toBe(`${SERVER}/kiosk`);
  });
});

describe('navigation', () => {
  it('stays on the queue server only', () => {
    const origin = originOf(SERVER);
    expect(origin).toBe(SERVER);
    if (origin === null) return;
    expect(isSameOrigin(`${SERVER}/kiosk?token=x`, origin)).toBe(true);
    expect(isSameOrigin(`${SERVER}/t/123`, origin)).toBe(true);
    expect(isSameOrigin('http://192.168.1.10:8081/kiosk', origin)).toBe(false);
    expect(isSameOrigin('https://192.168.1.10:8080/kiosk', origin)).toBe(false);
    expect(isSameOrigin('https://www.example.com/', origin)).toBe(false);
    expect(isSameOrigin('file:///etc/passwd', origin)).toBe(false);
    expect(isSameOrigin('data:text/html,hi', origin)).toBe(false);
    expect(isSameOrigin('not a url', origin)).toBe(false);
  });
});

describe('isZoomInput', () => {
  const key = (k: string, mods: Partial<{ control: boolean; meta: boolean }> = { control: true }, type = 'keyDown') => ({
    type,
    key: k,
    control: false,
    meta: false,
    ...mods,
  });

  it('catches Ctrl/⌘ with + - = 0', () => {
    for (const k of ['+', '-', '=', '0', '_']) expect(isZoomInput(key(k))).toBe(true);
    expect(isZoomInput(key('=', { meta: true }))).toBe(true);
    expect(isZoomInput(key('-', { control: true }, 'rawKeyDown'))).toBe(true);
  });

  it('lets the rest through', () => {
    expect(isZoomInput(key('+', {}))).toBe(false);
    expect(isZoomInput(key('1'))).toBe(false);
    expect(isZoomInput(key('a'))).toBe(false);
    expect(isZoomInput(key('+', { control: true }, 'keyUp'))).toBe(false);
  });
});

describe('local pages', () => {
  it('正在连接服务器…', () => {
    const html = pageText(connectingPage());
    expect(html).toContain('<html lang="zh-CN">');
    expect(html).toContain('正在连接服务器…');
  });

  it('not ready: the reason, escaped', () => {
    const html = pageText(notReadyPage('缺少 serverUrl <script>alert(1)</script>'));
    expect(html).toContain('取号机暂未就绪');
    expect(html).toContain('缺少 serverUrl');
    expect(html).not.toContain('<script>');
  });
});
