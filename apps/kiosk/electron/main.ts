/**
 * The Electron shell of the kiosk (一门取号机), thin: it hosts the kiosk agent (printer, ID-card reader) in this
 * process and shows the renderer the queue server serves at `<serverUrl>/kiosk?token=…` in one locked-down,
 * full-screen window; preload.ts gives that page `window.kiosk`, and bridge.ts carries it over IPC.
 *
 * Configuration: kiosk.json in the userData folder (%APPDATA%\yimen-kiosk on Windows, ~/.config/yimen-kiosk on
 * Linux), or the file named by YIMEN_KIOSK_CONFIG; YIMEN_* variables override it (loadAgentConfig). No socket
 * for browsers here: `listen` is always null.
 *
 * An ES module (Electron ≥ 28 loads one as main; the agent is ESM too); the sandboxed preload is a CommonJS
 * bundle beside it, preload.cjs (scripts/build-electron.mjs).
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { app, BrowserWindow, ipcMain, Menu, powerSaveBlocker, session } from 'electron';
import { IPC } from '../src/contract.js';
import { type AgentConfig, type AgentLogger, type KioskAgent, loadAgentConfig, startAgent } from './agent.js';
import { wireAgent } from './bridge.js';
import {
  BOOT_RETRY_MS,
  CRASH_RELOAD_MS,
  connectingPage,
  isSameOrigin,
  isZoomInput,
  kioskUrl,
  notReadyPage,
  originOf,
  RETRY_MS,
  UNRESPONSIVE_MS,
} from './policy.js';

const HERE = dirname(fileURLToPath(import.meta.url));
const PRELOAD = join(HERE, 'preload.cjs');
/** How long quitting waits for the agent to close the printer and the reader. */
const CLOSE_TIMEOUT_MS = 3_000;
/** net::ERR_ABORTED: a load replaced by another one (ours), not a failure. */
const ERR_ABORTED = -3;

// A fixed, ASCII userData folder whatever the product name, packaged or not: that is where kiosk.json goes.
app.setPath('userData', join(app.getPath('appData'), 'yimen-kiosk'));

function configFile(): { path: string; explicit: boolean } {
  const explicit = process.env.YIMEN_KIOSK_CONFIG;
  if (explicit) return { path: explicit, explicit: true };
  return { path: join(app.getPath('userData'), 'kiosk.json'), explicit: false };
}

/** The agent's configuration: the file (when there is one, or when YIMEN_KIOSK_CONFIG names it) and YIMEN_*. */
function readConfig(): AgentConfig {
  const file = configFile();
  const loaded = loadAgentConfig(process.env, file.explicit || existsSync(file.path) ? file.path : undefined);
  return { ...loaded, listen: null };
}

/** The agent's log on the console (stdout/stderr of the app: journald, or a terminal). */
const agentLogger: AgentLogger = {
  info: (obj, msg) => console.log(`[kiosk agent] ${msg}`, obj),
  warn: (obj, msg) => console.warn(`[kiosk agent] ${msg}`, obj),
  error: (obj, msg) => console.error(`[kiosk agent] ${msg}`, obj),
};

function describe(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return `${message}（配置文件：${configFile().path}）`;
}

function run(): void {
  let win: BrowserWindow | null = null;
  let agent: KioskAgent | null = null;
  let unwire: (() => void) | null = null;
  /** The kiosk page and the queue server's origin, once the agent runs. */
  let target: { url: string; origin: string } | null = null;
  let quitting = false;
  let retryTimer: NodeJS.Timeout | undefined;
  let bootTimer: NodeJS.Timeout | undefined;
  let unresponsiveTimer: NodeJS.Timeout | undefined;

  const alive = (w: BrowserWindow | null): w is BrowserWindow => w !== null && !w.isDestroyed();

  function show(url: string): void {
    if (alive(win)) win.loadURL(url).catch(() => undefined); // a failure comes again as did-fail-load
  }

  function loadKiosk(): void {
    clearTimeout(retryTimer);
    retryTimer = undefined;
    if (target && !quitting) show(target.url);
  }

  /** The server did not answer: the local 正在连接服务器… page, and the kiosk page again in RETRY_MS. */
  function showConnecting(): void {
    if (retryTimer !== undefined || quitting) return;
    show(connectingPage());
    retryTimer = setTimeout(loadKiosk, RETRY_MS);
  }

  /** Start the agent from the configuration; until it starts, say why on screen and try again. */
  async function boot(): Promise<void> {
    bootTimer = undefined;
    if (quitting) return;
    try {
      const config = readConfig();
      const origin = originOf(config.serverUrl);
      if (origin === null || !/^https?:$/.test(new URL(config.serverUrl).protocol)) {
        throw new Error(`服务器地址无效：${config.serverUrl}`);
      }
      const started = await startAgent(config, { logger: agentLogger });
      if (quitting) {
        await started.close();
        return;
      }
      agent = started;
      target = { url: kioskUrl(config.serverUrl, config.deviceToken), origin };
      unwire = wireAgent(
        ipcMain,
        agent,
        (e) => {
          if (alive(win)) win.webContents.send(IPC.event, e);
        },
        // Only the queue server's page may use the agent (not the local pages, not a foreign frame).
        { allowSender: (event) => event.senderFrame !== null && isSameOrigin(event.senderFrame.url, origin) },
      );
      loadKiosk();
    } catch (error) {
      console.error('[kiosk] the agent did not start', error);
      show(notReadyPage(describe(error)));
      bootTimer = setTimeout(() => void boot(), BOOT_RETRY_MS);
    }
  }

  function createWindow(): BrowserWindow {
    const w = new BrowserWindow({
      title: '一门取号机',
      fullscreen: true,
      kiosk: true,
      autoHideMenuBar: true,
      backgroundColor: '#f4f6f9',
      webPreferences: {
        preload: PRELOAD,
        contextIsolation: true,
        sandbox: true,
        nodeIntegration: false,
        devTools: !app.isPackaged,
        webviewTag: false,
        navigateOnDragDrop: false,
        spellcheck: false,
        // The kiosk speaks (voice prompts) without waiting for a first tap.
        autoplayPolicy: 'no-user-gesture-required',
      },
    });
    const wc = w.webContents;

    // Zoom locked: no pinch, no Ctrl +/-/0, no Ctrl+wheel.
    const lockZoom = (): void => {
      wc.setZoomLevel(0);
      wc.setVisualZoomLevelLimits(1, 1).catch(() => undefined);
    };
    lockZoom();
    wc.on('did-finish-load', lockZoom);
    wc.on('zoom-changed', () => wc.setZoomLevel(0));
    wc.on('before-input-event', (event, input) => {
      if (isZoomInput(input)) event.preventDefault();
    });

    // The server not up yet (or gone): the connecting page, and retry. A 5xx page counts as not up.
    wc.on('did-fail-load', (_event, errorCode, _description, validatedURL, isMainFrame) => {
      if (!isMainFrame || errorCode === ERR_ABORTED || target === null) return;
      if (isSameOrigin(validatedURL, target.origin)) showConnecting();
    });
    wc.on('did-navigate', (_event, url, httpResponseCode) => {
      if (target !== null && httpResponseCode >= 500 && isSameOrigin(url, target.origin)) showConnecting();
    });

    // A crashed renderer is reloaded; one unresponsive for UNRESPONSIVE_MS is crashed, and so reloaded.
    wc.on('render-process-gone', (_event, details) => {
      clearTimeout(unresponsiveTimer);
      unresponsiveTimer = undefined;
      if (quitting) return;
      console.error(`[kiosk] renderer gone (${details.reason}, exit code ${details.exitCode}): reloading`);
      setTimeout(() => {
        if (target !== null) loadKiosk();
        else wc.reload();
      }, CRASH_RELOAD_MS);
    });
    w.on('unresponsive', () => {
      if (unresponsiveTimer !== undefined) return;
      unresponsiveTimer = setTimeout(() => {
        unresponsiveTimer = undefined;
        if (!w.isDestroyed() && !quitting) wc.forcefullyCrashRenderer();
      }, UNRESPONSIVE_MS);
    });
    w.on('responsive', () => {
      clearTimeout(unresponsiveTimer);
      unresponsiveTimer = undefined;
    });
    w.on('closed', () => {
      win = null;
    });
    return w;
  }

  app.on('second-instance', () => {
    if (!alive(win)) return;
    if (win.isMinimized()) win.restore();
    win.focus();
  });

  // Every web contents: no new windows, no <webview>, no navigation off the queue server.
  app.on('web-contents-created', (_event, contents) => {
    contents.setWindowOpenHandler(() => ({ action: 'deny' }));
    contents.on('will-attach-webview', (event) => event.preventDefault());
    contents.on('will-navigate', (event) => {
      if (target === null || !isSameOrigin(event.url, target.origin)) event.preventDefault();
    });
    contents.on('will-redirect', (event) => {
      if (target === null || !isSameOrigin(event.url, target.origin)) event.preventDefault();
    });
  });

  app.on('window-all-closed', () => app.quit());

  // Quit cleanly: the agent closes the printer and the reader first (at most CLOSE_TIMEOUT_MS).
  app.on('before-quit', (event) => {
    quitting = true;
    clearTimeout(retryTimer);
    clearTimeout(bootTimer);
    clearTimeout(unresponsiveTimer);
    unwire?.();
    unwire = null;
    if (agent === null) return;
    event.preventDefault();
    const closing = agent;
    agent = null;
    const timeout = new Promise<void>((resolve) => setTimeout(resolve, CLOSE_TIMEOUT_MS).unref());
    Promise.race([closing.close(), timeout])
      .catch((error: unknown) => console.error('[kiosk] the agent did not close cleanly', error))
      .finally(() => app.quit());
  });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => app.quit());

  app
    .whenReady()
    .then(() => {
      Menu.setApplicationMenu(null);
      // The kiosk page asks for nothing (camera, microphone, notifications, …): every request is refused.
      session.defaultSession.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
      // A kiosk screen does not go dark.
      powerSaveBlocker.start('prevent-display-sleep');
      win = createWindow();
      show(connectingPage());
      return boot();
    })
    .catch((error: unknown) => {
      console.error('[kiosk] could not start', error);
      app.exit(1);
    });
}

app.commandLine.appendSwitch('disable-pinch');
if (app.requestSingleInstanceLock()) run();
else app.quit();
