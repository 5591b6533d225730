/**
 * `npm run demo` brings a whole kiosk along: a virtual ESC/POS printer (TCP, each ticket rendered to a PNG
 * under data/printer, shown in the manager view) and a kiosk agent printing to it, paired as a kiosk device
 * through the API like any real kiosk. Open the printed kiosk address in a browser and take a number.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { VirtualPrinter } from '@yimen/hardware/printer/virtual-printer';
import { type AgentLogger, startAgent } from '@yimen/kiosk/agent';

export interface DemoKiosk {
  /** The kiosk page with its device token and the agent's address and key. */
  kioskUrl: string;
  printerUri: string;
  close(): Promise<void>;
}

async function json(url: string, init: RequestInit = {}): Promise<{ status: number; body: Record<string, unknown> }> {
  const r = await fetch(url, { ...init, headers: { 'content-type': 'application/json', ...(init.headers ?? {}) } });
  return { status: r.status, body: (await r.json().catch(() => ({}))) as Record<string, unknown> };
}

/** The demo kiosk's device token: kept in the data folder, made again (by the admin) when it no longer works. */
async function kioskToken(serverUrl: string, dataDir: string, adminPassword: string): Promise<string> {
  const file = join(dataDir, 'demo-kiosk.json');
  try {
    const { token } = JSON.parse(readFileSync(file, 'utf8')) as { token: string };
    const me = await fetch(`${serverUrl}/api/v1/me`, { headers: { authorization: `Bearer ${token}` } });
    if (me.status === 200) return token;
  } catch {
    // none yet, or unreadable: pair a new one
  }
  const login = await json(`${serverUrl}/api/v1/auth/login`, {
    method: 'POST',
    body: JSON.stringify({ username: 'admin', password: adminPassword }),
  });
  if (login.status !== 200) throw new Error(`the demo kiosk cannot be paired: admin login answered ${login.status}`);
  const made = await json(`${serverUrl}/api/v1/devices`, {
    method: 'POST',
    headers: { authorization: `Bearer ${String(login.body.token)}` },
    body: JSON.stringify({ kind: 'kiosk', name: '演示取号机（虚拟打印机）' }),
  });
  if (made.status !== 201) throw new Error(`the demo kiosk cannot be paired: ${made.status}`);
  const token = String(made.body.token);
  writeFileSync(file, JSON.stringify({ token }), { mode: 0o600 });
  return token;
}

export async function startDemoKiosk(opts: {
  serverUrl: string;
  publicUrl: string;
  dataDir: string;
  printerDir: string;
  adminPassword: string;
  logger: AgentLogger;
}): Promise<DemoKiosk> {
  const printer = new VirtualPrinter({
    port: Number(process.env.YIMEN_DEMO_PRINTER_PORT ?? 0),
    pngDir: opts.printerDir,
    paper: 80,
    onError: (err) => opts.logger.error({ err: String(err) }, 'virtual printer could not render a job'),
  });
  await printer.listen();
  let agent: Awaited<ReturnType<typeof startAgent>>;
  let token: string;
  const key = randomBytes(18).toString('base64url');
  try {
    token = await kioskToken(opts.serverUrl, opts.dataDir, opts.adminPassword);
    agent = await startAgent(
      {
        serverUrl: opts.serverUrl,
        publicUrl: opts.publicUrl,
        deviceToken: token,
        printerUri: printer.uri,
        paper: 80,
        readerPath: process.env.YIMEN_ID_READER || null,
        listen: { host: '127.0.0.1', port: Number(process.env.YIMEN_AGENT_PORT ?? 0), key },
      },
      { logger: opts.logger },
    );
  } catch (e) {
    await printer.close();
    throw e;
  }
  const agentUrl = agent.socket?.url ?? '';
  const q = new URLSearchParams({ token, agent: agentUrl, agentKey: key });
  return {
    // The agent listens on this machine only (127.0.0.1): the kiosk page is opened here too; its tickets'
    // QR codes carry the LAN address (publicUrl) for the phones.
    kioskUrl: `${opts.serverUrl}/kiosk?${q.toString()}`,
    printerUri: printer.uri,
    close: async () => {
      await agent.close();
      await printer.close();
    },
  };
}
