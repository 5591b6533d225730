/**
 * The Electron transport of the kiosk agent's API (`KioskApi`, src/contract.ts), without importing 'electron':
 *  - `wireAgent` runs in the main process: `ipcMain.handle` for IPC.status / IPC.takeNumber / IPC.clearCard,
 *    forwarding to the agent, and the agent's events pushed to the window on IPC.event;
 *  - `exposeKiosk` runs in the (sandboxed) preload: `window.kiosk`, a `KioskApi` over ipcRenderer.
 * Both take Electron's objects by their shape only, so the logic is tested in Node with fakes (bridge.test.ts).
 *
 * On the wire every invoke answers a `KioskAck` ({data} | {error}), never a rejection: a rejected ipcMain handler
 * reaches the renderer as a bare Error("Error invoking remote method …") without a code. The preload turns the
 * KioskAck of status() and clearCard() back into a value or a thrown Error, as `KioskApi` says; takeNumber() is a
 * KioskAck already and passes through.
 */
import {
  type AgentEvent,
  type AgentStatus,
  agentError,
  IPC,
  type KioskAck,
  type KioskApi,
  type KioskError,
  type TakeNumberRequest,
  type TakeNumberResult,
} from '../src/contract.js';

/** What wireAgent needs of an `ipcMain.handle` event: the frame that sent it (Electron's IpcMainInvokeEvent). */
export interface InvokeEventLike {
  readonly senderFrame: { readonly url: string } | null;
}

/** The part of Electron's `ipcMain` that wireAgent uses. */
export interface IpcMainLike {
  handle(channel: string, listener: (event: InvokeEventLike, ...args: unknown[]) => unknown): void;
  removeHandler(channel: string): void;
}

/** The part of Electron's `ipcRenderer` that exposeKiosk uses. */
export interface IpcRendererLike {
  invoke(channel: string, ...args: unknown[]): Promise<unknown>;
  on(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
  removeListener(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
}

/** The part of Electron's `contextBridge` that exposeKiosk uses. */
export interface ContextBridgeLike {
  exposeInMainWorld(apiKey: string, api: unknown): void;
}

/** The global name of the API in the renderer: `window.kiosk`. */
export const KIOSK_GLOBAL = 'kiosk';

/** The answer to an agent that failed (threw or rejected) instead of answering. */
export const AGENT_FAILED: KioskError = { code: 'INTERNAL', message: '取号服务出错，请稍后再试或到咨询台取号。' };

export interface WireOptions {
  /**
   * Whether an invoke from this frame may reach the agent (main passes "the frame is on the queue server's
   * origin", so neither the local 正在连接 page nor a foreign frame can take numbers). Default: every frame.
   */
  allowSender?: (event: InvokeEventLike) => boolean;
  /** Where the errors of the agent and of `send` are told (default console.error). */
  log?: (message: string, error: unknown) => void;
}

const SERVICE_ID_MAX = 64;
const REQUEST_ID_MAX = 128;
const TAKE_NUMBER_KEYS = new Set(['serviceId', 'requestId', 'useCard']);

/**
 * The takeNumber argument as it crossed IPC (untrusted: the renderer shows a web page), checked for shape:
 * a plain object of exactly serviceId (1–64 chars), requestId (1–128 chars) and useCard (boolean). Their formats
 * are the queue server's to check (IssueTicketBody); this only keeps junk and oversized input away from the agent.
 * Returns a fresh object of the three fields, or null.
 */
export function parseTakeNumberRequest(value: unknown): TakeNumberRequest | null {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return null;
  const proto: unknown = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) return null;
  const record = value as Record<string, unknown>;
  if (Object.keys(record).some((key) => !TAKE_NUMBER_KEYS.has(key))) return null;
  const { serviceId, requestId, useCard } = record;
  if (typeof serviceId !== 'string' || serviceId.length === 0 || serviceId.length > SERVICE_ID_MAX) return null;
  if (typeof requestId !== 'string' || requestId.length === 0 || requestId.length > REQUEST_ID_MAX) return null;
  if (typeof useCard !== 'boolean') return null;
  return { serviceId, requestId, useCard };
}

/**
 * Main process: answer the renderer's invokes from the agent and push the agent's events through `send`
 * (main passes `e => win.webContents.send(IPC.event, e)`). Returns the function that undoes both.
 */
export function wireAgent(
  ipcMain: IpcMainLike,
  agent: KioskApi,
  send: (e: AgentEvent) => void,
  options: WireOptions = {},
): () => void {
  const allowSender = options.allowSender ?? (() => true);
  const log = options.log ?? ((message: string, error: unknown) => console.error(message, error));

  /** One handler: refuse foreign senders, and turn a throw or a rejection into {error}. */
  const handle = <T>(channel: string, answer: (args: unknown[]) => Promise<KioskAck<T>>): void => {
    ipcMain.handle(channel, async (event, ...args): Promise<KioskAck<T>> => {
      if (!allowSender(event)) return { error: agentError('AGENT_UNAUTHORIZED') };
      try {
        return await answer(args);
      } catch (error) {
        log(`[kiosk] ${channel} failed`, error);
        return { error: AGENT_FAILED };
      }
    });
  };

  handle<AgentStatus>(IPC.status, async () => ({ data: await agent.status() }));
  handle<TakeNumberResult>(IPC.takeNumber, async ([payload]) => {
    const req = parseTakeNumberRequest(payload);
    if (req === null) return { error: agentError('INVALID_REQUEST') };
    return await agent.takeNumber(req);
  });
  handle<null>(IPC.clearCard, async () => {
    await agent.clearCard();
    return { data: null };
  });

  const unsubscribe = agent.subscribe((e) => {
    try {
      send(e);
    } catch (error) {
      // The window is gone or going: the event is lost, the agent goes on.
      log('[kiosk] could not forward an agent event', error);
    }
  });

  let wired = true;
  return () => {
    if (!wired) return;
    wired = false;
    unsubscribe();
    for (const channel of [IPC.status, IPC.takeNumber, IPC.clearCard]) ipcMain.removeHandler(channel);
  };
}

/** An error of the agent as the renderer's `await kiosk.status()` / `kiosk.clearCard()` sees it. */
export class KioskCallError extends Error {
  readonly code: string;
  constructor(error: KioskError) {
    // contextBridge copies an Error's message only: the code leads it, e.g. "INTERNAL: 取号服务出错…".
    super(`${error.code}: ${error.message}`);
    this.name = 'KioskCallError';
    this.code = error.code;
  }
}

function isAck(value: unknown): value is KioskAck<unknown> {
  return typeof value === 'object' && value !== null && ('data' in value || 'error' in value);
}

/** An invoke that could not be made or answered (no handler yet, main busy quitting) as a KioskAck. */
async function invokeKioskAck<T>(ipcRenderer: IpcRendererLike, channel: string, ...args: unknown[]): Promise<KioskAck<T>> {
  try {
    const reply = await ipcRenderer.invoke(channel, ...args);
    return isAck(reply) ? (reply as KioskAck<T>) : { error: AGENT_FAILED };
  } catch {
    return { error: AGENT_FAILED };
  }
}

function unwrap<T>(ack: KioskAck<T>): T {
  if ('error' in ack) throw new KioskCallError(ack.error);
  return ack.data;
}

/** The KioskApi the renderer gets, over ipcRenderer. */
export function createKioskApi(ipcRenderer: IpcRendererLike): KioskApi {
  return {
    status: async () => unwrap(await invokeKioskAck<AgentStatus>(ipcRenderer, IPC.status)),
    takeNumber: (req) => invokeKioskAck<TakeNumberResult>(ipcRenderer, IPC.takeNumber, req),
    clearCard: async () => {
      unwrap(await invokeKioskAck<null>(ipcRenderer, IPC.clearCard));
    },
    subscribe: (listener) => {
      // The IPC event object (it holds the sender) stays here: the page gets the AgentEvent only.
      const onEvent = (_event: unknown, e: unknown): void => listener(e as AgentEvent);
      ipcRenderer.on(IPC.event, onEvent);
      let subscribed = true;
      return () => {
        if (!subscribed) return;
        subscribed = false;
        ipcRenderer.removeListener(IPC.event, onEvent);
      };
    },
  };
}

/** Preload: expose the KioskApi as `window.kiosk` (a frozen object of four functions). Returns it. */
export function exposeKiosk(contextBridge: ContextBridgeLike, ipcRenderer: IpcRendererLike): KioskApi {
  const api = Object.freeze(createKioskApi(ipcRenderer));
  contextBridge.exposeInMainWorld(KIOSK_GLOBAL, api);
  return api;
}
