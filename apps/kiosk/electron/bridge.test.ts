/**
 * The Electron bridge (bridge.ts), tested in plain Node: Electron cannot run on this machine (its binary is never
 * downloaded here: allowScripts.electron is false), so ipcMain, ipcRenderer and contextBridge are small fakes of
 * the same shape, wired to each other the way Electron wires them (invoke → handle, webContents.send → on), with
 * every payload structured-cloned as Electron's IPC does.
 *
 * The agent is a small fake KioskApi too, not the real one: the real agent needs a printer, a card reader and a
 * queue server, and the bridge only forwards to it; what is tested here is the forwarding, so the fake records
 * each call and answers what the test tells it to.
 */
import { EventEmitter } from 'node:events';
import type { Ticket } from '@yimen/shared';
import { describe, expect, it, vi } from 'vitest';
import {
  AGENT_PROTOCOL_VERSION,
  type AgentEvent,
  type AgentStatus,
  IPC,
  type KioskAck,
  type KioskApi,
  type TakeNumberRequest,
  type TakeNumberResult,
} from '../src/contract.js';
import {
  AGENT_FAILED,
  type ContextBridgeLike,
  exposeKiosk,
  type InvokeEventLike,
  type IpcMainLike,
  type IpcRendererLike,
  KIOSK_GLOBAL,
  KioskCallError,
  parseTakeNumberRequest,
  wireAgent,
} from './bridge.js';

const SERVER = 'http://192.168.1.10:8080';

const STATUS: AgentStatus = {
  agentProtocolVersion: AGENT_PROTOCOL_VERSION,
  printer: { state: 'ready', message: '打印机就绪' },
  reader: { state: 'absent', message: '未配置读卡器' },
  card: null,
  server: { reachable: true },
  paper: 80,
};

const RESULT: TakeNumberResult = {
  // The bridge never looks into the ticket: any object stands for one.
  ticket: { id: 't-1', number: 'A001' } as unknown as Ticket,
  statusUrl: `${SERVER}/t/t-1`,
  printed: true,
  printError: null,
};

const REQUEST: TakeNumberRequest = { serviceId: 'svc-1', requestId: 'req-1', useCard: false };

/** A KioskApi that records its calls; each method's answer is settable. */
class FakeAgent implements KioskApi {
  readonly calls: { method: string; args: unknown[] }[] = [];
  readonly listeners = new Set<(e: AgentEvent) => void>();
  statusImpl: () => Promise<AgentStatus> = async () => STATUS;
  takeNumberImpl: (req: TakeNumberRequest) => Promise<KioskAck<TakeNumberResult>> = async () => ({ data: RESULT });
  clearCardImpl: () => Promise<void> = async () => undefined;

  status(): Promise<AgentStatus> {
    this.calls.push({ method: 'status', args: [] });
    return this.statusImpl();
  }
  takeNumber(req: TakeNumberRequest): Promise<KioskAck<TakeNumberResult>> {
    this.calls.push({ method: 'takeNumber', args: [req] });
    return this.takeNumberImpl(req);
  }
  clearCard(): Promise<void> {
    this.calls.push({ method: 'clearCard', args: [] });
    return this.clearCardImpl();
  }
  subscribe(listener: (e: AgentEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
  emit(e: AgentEvent): void {
    for (const listener of this.listeners) listener(e);
  }
}

/** Electron's two IPC ends in one process: ipcMain.handle answers ipcRenderer.invoke; send reaches ipcRenderer.on. */
function fakeIpc(frameUrl = `${SERVER}/kiosk?token=k`) {
  const handlers = new Map<string, (event: InvokeEventLike, ...args: unknown[]) => unknown>();
  const rendererSide = new EventEmitter();
  const ipcMain: IpcMainLike = {
    handle(channel, listener) {
      if (handlers.has(channel)) throw new Error(`Attempted to register a second handler for '${channel}'`);
      handlers.set(channel, listener);
    },
    removeHandler(channel) {
      handlers.delete(channel);
    },
  };
  const frame = { url: frameUrl };
  const ipcRenderer: IpcRendererLike = {
    async invoke(channel, ...args) {
      const handler = handlers.get(channel);
      if (!handler) throw new Error(`Error invoking remote method '${channel}': Error: No handler registered for '${channel}'`);
      return structuredClone(await handler({ senderFrame: frame }, ...structuredClone(args)));
    },
    on(channel, listener) {
      rendererSide.on(channel, listener);
    },
    removeListener(channel, listener) {
      rendererSide.removeListener(channel, listener);
    },
  };
  /** What main passes as `send`: webContents.send(IPC.event, e). */
  const send = (e: AgentEvent): void => {
    rendererSide.emit(IPC.event, { sender: 'the IPC event object' }, structuredClone(e));
  };
  return { ipcMain, ipcRenderer, send, handlers, rendererSide, frame };
}

function fakeContextBridge() {
  const exposed = new Map<string, unknown>();
  const contextBridge: ContextBridgeLike = {
    exposeInMainWorld(key, api) {
      if (exposed.has(key)) throw new Error(`Cannot bind an API on top of an existing property on the window object`);
      exposed.set(key, api);
    },
  };
  return { contextBridge, exposed };
}

/** Main and preload wired through the fakes; `kiosk` is what the page sees as window.kiosk. */
function setup(options: Parameters<typeof wireAgent>[3] = {}) {
  const agent = new FakeAgent();
  const ipc = fakeIpc();
  const log = vi.fn();
  const unwire = wireAgent(ipc.ipcMain, agent, ipc.send, { log, ...options });
  const bridge = fakeContextBridge();
  const returned = exposeKiosk(bridge.contextBridge, ipc.ipcRenderer);
  const kiosk = bridge.exposed.get(KIOSK_GLOBAL) as KioskApi;
  return { agent, ipc, log, unwire, bridge, kiosk, returned };
}

describe('exposeKiosk', () => {
  it('exposes one frozen KioskApi as window.kiosk', () => {
    const { bridge, kiosk, returned } = setup();
    expect([...bridge.exposed.keys()]).toEqual(['kiosk']);
    expect(kiosk).toBe(returned);
    expect(Object.isFrozen(kiosk)).toBe(true);
    expect(Object.keys(kiosk).sort()).toEqual(['clearCard', 'status', 'subscribe', 'takeNumber']);
  });
});

describe('invoke → agent → answer', () => {
  it('status() calls the agent and returns its status', async () => {
    const { agent, kiosk } = setup();
    await expect(kiosk.status()).resolves.toEqual(STATUS);
    expect(agent.calls).toEqual([{ method: 'status', args: [] }]);
  });

  it('takeNumber() passes the request to the agent and returns its KioskAck as it is', async () => {
    const { agent, kiosk } = setup();
    await expect(kiosk.takeNumber({ ...REQUEST, useCard: true })).resolves.toEqual({ data: RESULT });
    expect(agent.calls).toEqual([{ method: 'takeNumber', args: [{ ...REQUEST, useCard: true }] }]);

    const refused: KioskAck<TakeNumberResult> = {
      error: { code: 'DAILY_CAP_REACHED', message: '该业务今日号票已取完，请改日再来。' },
    };
    agent.takeNumberImpl = async () => refused;
    await expect(kiosk.takeNumber(REQUEST)).resolves.toEqual(refused);
  });

  it('clearCard() calls the agent and resolves to nothing', async () => {
    const { agent, kiosk } = setup();
    await expect(kiosk.clearCard()).resolves.toBeUndefined();
    expect(agent.calls).toEqual([{ method: 'clearCard', args: [] }]);
  });

  it('answers every channel with a KioskAck on the wire', async () => {
    const { ipc } = setup();
    await expect(ipc.ipcRenderer.invoke(IPC.status)).resolves.toEqual({ data: STATUS });
    await expect(ipc.ipcRenderer.invoke(IPC.takeNumber, REQUEST)).resolves.toEqual({ data: RESULT });
    await expect(ipc.ipcRenderer.invoke(IPC.clearCard)).resolves.toEqual({ data: null });
  });
});

describe('a bad takeNumber payload', () => {
  const bad: [string, unknown][] = [
    ['nothing', undefined],
    ['null', null],
    ['a string', 'svc-1'],
    ['an array', [REQUEST]],
    ['no serviceId', { requestId: 'req-1', useCard: false }],
    ['an empty serviceId', { ...REQUEST, serviceId: '' }],
    ['a numeric serviceId', { ...REQUEST, serviceId: 1 }],
    ['a 65-character serviceId', { ...REQUEST, serviceId: 's'.repeat(65) }],
    ['no requestId', { serviceId: 'svc-1', useCard: false }],
    ['a 129-character requestId', { ...REQUEST, requestId: 'r'.repeat(129) }],
    ['useCard as a string', { ...REQUEST, useCard: 'true' }],
    ['no useCard', { serviceId: 'svc-1', requestId: 'req-1' }],
    ['an extra field (an ID number)', { ...REQUEST, idNumber: '11010519491231002X' }],
  ];

  it.each(bad)('%s → {error: INVALID_REQUEST}, the agent not called', async (_name, payload) => {
    const { agent, ipc } = setup();
    const reply = await ipc.ipcRenderer.invoke(IPC.takeNumber, payload);
    expect(reply).toEqual({ error: { code: 'INVALID_REQUEST', message: expect.any(String) } });
    expect(agent.calls).toEqual([]);
  });

  it('through window.kiosk too (the page is not trusted to send the right shape)', async () => {
    const { agent, kiosk } = setup();
    const reply = await kiosk.takeNumber({ serviceId: 42 } as unknown as TakeNumberRequest);
    expect(reply).toEqual({ error: { code: 'INVALID_REQUEST', message: expect.any(String) } });
    expect(agent.calls).toEqual([]);
  });

  it('the agent gets the three fields only, in a fresh object', () => {
    const parsed = parseTakeNumberRequest(Object.assign(Object.create(null), REQUEST));
    expect(parsed).toEqual(REQUEST);
    expect(parseTakeNumberRequest(new (class Sneaky {})())).toBeNull();
  });
});

describe('agent events', () => {
  const read: AgentEvent = {
    type: 'card:read',
    card: { maskedName: '张*', age: 71, elderly: true, cardType: 'resident', readAt: '2026-01-05T09:00:00.000Z' },
  };

  it('are forwarded to every subscriber, without the IPC event object', () => {
    const { agent, kiosk } = setup();
    const first = vi.fn();
    const second = vi.fn();
    kiosk.subscribe(first);
    kiosk.subscribe(second);
    agent.emit(read);
    agent.emit({ type: 'card:cleared' });
    agent.emit({ type: 'status:changed', status: STATUS });
    for (const listener of [first, second]) {
      expect(listener.mock.calls).toEqual([[read], [{ type: 'card:cleared' }], [{ type: 'status:changed', status: STATUS }]]);
    }
  });

  it('stop when unsubscribed (and unsubscribing twice is harmless)', () => {
    const { agent, ipc, kiosk } = setup();
    const kept = vi.fn();
    const dropped = vi.fn();
    kiosk.subscribe(kept);
    const unsubscribe = kiosk.subscribe(dropped);
    agent.emit({ type: 'card:cleared' });
    unsubscribe();
    unsubscribe();
    agent.emit(read);
    expect(dropped.mock.calls).toEqual([[{ type: 'card:cleared' }]]);
    expect(kept.mock.calls).toEqual([[{ type: 'card:cleared' }], [read]]);
    expect(ipc.rendererSide.listenerCount(IPC.event)).toBe(1);
  });

  it('a send that throws (window gone) is logged, and the agent goes on', () => {
    const agent = new FakeAgent();
    const ipc = fakeIpc();
    const log = vi.fn();
    wireAgent(
      ipc.ipcMain,
      agent,
      () => {
        throw new Error('Object has been destroyed');
      },
      { log },
    );
    expect(() => agent.emit({ type: 'card:cleared' })).not.toThrow();
    expect(log).toHaveBeenCalledOnce();
  });
});

describe('an agent that throws', () => {
  it('answers {error}, never a rejection, on every channel', async () => {
    const { agent, ipc, log } = setup();
    agent.statusImpl = async () => {
      throw new Error('serial port gone');
    };
    agent.takeNumberImpl = () => {
      throw new TypeError('synchronous throw');
    };
    agent.clearCardImpl = () => Promise.reject(new Error('rejected'));
    for (const [channel, args] of [
      [IPC.status, []],
      [IPC.takeNumber, [REQUEST]],
      [IPC.clearCard, []],
    ] as const) {
      await expect(ipc.ipcRenderer.invoke(channel, ...args)).resolves.toEqual({ error: AGENT_FAILED });
    }
    expect(log).toHaveBeenCalledTimes(3);
  });

  it('reaches the page as {error} from takeNumber() and as a coded Error from status() / clearCard()', async () => {
    const { agent, kiosk } = setup();
    agent.takeNumberImpl = async () => {
      throw new Error('boom');
    };
    agent.statusImpl = async () => {
      throw new Error('boom');
    };
    agent.clearCardImpl = async () => {
      throw new Error('boom');
    };
    await expect(kiosk.takeNumber(REQUEST)).resolves.toEqual({ error: AGENT_FAILED });
    const statusError = await kiosk.status().catch((e: unknown) => e);
    expect(statusError).toBeInstanceOf(KioskCallError);
    expect(statusError).toMatchObject({ code: 'INTERNAL', message: `INTERNAL: ${AGENT_FAILED.message}` });
    await expect(kiosk.clearCard()).rejects.toBeInstanceOf(KioskCallError);
  });
});

describe('wiring', () => {
  it('refuses frames the main process does not trust, before the agent', async () => {
    const { agent, ipc } = setup({ allowSender: (event) => event.senderFrame?.url.startsWith(`${SERVER}/`) ?? false });
    await expect(ipc.ipcRenderer.invoke(IPC.status)).resolves.toEqual({ data: STATUS });
    ipc.frame.url = 'data:text/html,正在连接服务器…';
    for (const channel of [IPC.status, IPC.takeNumber, IPC.clearCard]) {
      await expect(ipc.ipcRenderer.invoke(channel, REQUEST)).resolves.toEqual({
        error: { code: 'AGENT_UNAUTHORIZED', message: expect.any(String) },
      });
    }
    expect(agent.calls).toEqual([{ method: 'status', args: [] }]);
  });

  it('unwiring removes the handlers and the subscription', async () => {
    const { agent, ipc, kiosk, unwire } = setup();
    const listener = vi.fn();
    kiosk.subscribe(listener);
    unwire();
    unwire();
    expect(ipc.handlers.size).toBe(0);
    expect(agent.listeners.size).toBe(0);
    agent.emit({ type: 'card:cleared' });
    expect(listener).not.toHaveBeenCalled();
    // No handler any more: the page still gets an answer, not a rejection.
    await expect(kiosk.takeNumber(REQUEST)).resolves.toEqual({ error: AGENT_FAILED });
    await expect(kiosk.status()).rejects.toBeInstanceOf(KioskCallError);
    // And the same ipcMain can be wired again (a second handle() on a channel would throw).
    expect(() => wireAgent(ipc.ipcMain, agent, ipc.send)).not.toThrow();
  });
});
