/**
 * The window's rules, pure (no 'electron' import) so they are tested in Node: the kiosk page's address, which
 * navigations stay on the queue server, which keys would zoom, and the local pages shown while the server is
 * not reachable or the kiosk is not configured yet.
 */

/** While the kiosk page does not load (server not up yet, network down): try again this often. */
export const RETRY_MS = 5_000;
/** While the agent does not start (no or bad kiosk.json): read the configuration again this often. */
export const BOOT_RETRY_MS = 10_000;
/** A renderer unresponsive this long is crashed on purpose, and so reloaded. */
export const UNRESPONSIVE_MS = 10_000;
/** After a renderer crash, wait this long before loading again (no tight loop on a page that always crashes). */
export const CRASH_RELOAD_MS = 1_000;

/**
 * `<serverUrl>/kiosk?token=<device token>`, the renderer served by the queue server; without a token, plain
 * `<serverUrl>/kiosk` (the page then pairs as every screen does: a code to approve in 大厅管理).
 */
export function kioskUrl(serverUrl: string, deviceToken: string): string {
  const url = new URL(`${serverUrl.replace(/\/+$/, '')}/kiosk`);
  if (deviceToken !== '') url.searchParams.set('token', deviceToken);
  return url.toString();
}

/** The origin the window may show (and whose frames may call the agent), e.g. http://192.168.1.10:8080. */
export function originOf(url: string): string | null {
  try {
    const origin = new URL(url).origin;
    return origin === 'null' ? null : origin;
  } catch {
    return null;
  }
}

/** Whether a navigation to `url` stays on the queue server. */
export function isSameOrigin(url: string, serverOrigin: string): boolean {
  return originOf(url) === serverOrigin;
}

/** The part of Electron's `Input` (before-input-event) that isZoomInput reads. */
export interface KeyInputLike {
  type: string;
  key: string;
  control: boolean;
  meta: boolean;
}

const ZOOM_KEYS = new Set(['+', '-', '=', '_', '0', 'Add', 'Subtract']);

/** Ctrl/⌘ with + - = 0 (and the keypad's): the keys that would zoom the page. */
export function isZoomInput(input: KeyInputLike): boolean {
  return (input.type === 'keyDown' || input.type === 'rawKeyDown') && (input.control || input.meta) && ZOOM_KEYS.has(input.key);
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** A full-screen local page (a data: URL, nothing to package): a title and a line under it. */
export function localPage(title: string, detail: string): string {
  const html = `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>
<style>
html,body{margin:0;height:100%;background:#f4f6f9;color:#1f2933;cursor:default;user-select:none}
body{display:flex;flex-direction:column;align-items:center;justify-content:center;gap:24px;
font-family:"Noto Sans CJK SC","Source Han Sans SC","Microsoft YaHei","PingFang SC",sans-serif}
h1{margin:0;font-size:56px;font-weight:600}
p{margin:0;max-width:80vw;font-size:28px;color:#52606d;text-align:center;word-break:break-all}
</style></head>
<body><h1>${escapeHtml(title)}</h1><p>${escapeHtml(detail)}</p></body></html>`;
  return `data:text/html;charset=utf-8,${encodeURIComponent(html)}`;
}

/** Shown while the queue server does not answer; the kiosk page is tried again every RETRY_MS. */
export function connectingPage(): string {
  return localPage('正在连接服务器…', '请稍候。如长时间无法连接，请联系工作人员或到咨询台取号。');
}

/** Shown while the agent cannot start (no configuration, bad configuration, …), with the reason for the staff. */
export function notReadyPage(reason: string): string {
  return localPage('取号机暂未就绪', `请联系工作人员。${reason}`);
}
