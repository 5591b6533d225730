/** The kiosk agent: `startAgent(config)` opens the printer and the reader and answers the renderer. */
import { openSerialPort, SamIdCardReader } from '@yimen/hardware/id-card/reader';
import { openTransport } from '@yimen/hardware/printer/transport';
import { Agent, type AgentLogger } from './agent.js';
import type { AgentConfig } from './config.js';
import { ServerClient } from './server-client.js';
import { listenForRenderers } from './socket.js';

export { Agent, type AgentLogger, type KioskAgent, printerStateOf } from './agent.js';
export { type AgentConfig, AgentConfigError, loadAgentConfig } from './config.js';
export { ServerClient } from './server-client.js';
export { type AgentSocket, listenForRenderers } from './socket.js';

export async function startAgent(
  config: AgentConfig,
  opts: { logger?: AgentLogger; clock?: () => number; cardPollMs?: number; printerPollMs?: number } = {},
): Promise<Agent> {
  const printer = config.printerUri ? openTransport(config.printerUri) : null;
  const path = config.readerPath;
  const openReader = path ? async () => new SamIdCardReader(await openSerialPort(path)) : undefined;
  let reader: SamIdCardReader | null = null;
  if (openReader) {
    try {
      reader = await openReader();
    } catch (e) {
      // Kiosks work without the card reader (by menu); the agent keeps trying, the manager sees it missing.
      opts.logger?.error({ path, err: (e as Error).message }, 'id card reader cannot be opened');
    }
  }
  const agent = new Agent({
    server: new ServerClient(config.serverUrl, config.deviceToken),
    printer,
    reader,
    ...(openReader ? { openReader } : {}),
    paper: config.paper,
    publicUrl: config.publicUrl ?? config.serverUrl,
    ...(opts.clock ? { clock: opts.clock } : {}),
    ...(opts.logger ? { logger: opts.logger } : {}),
    ...(opts.cardPollMs ? { cardPollMs: opts.cardPollMs } : {}),
    ...(opts.printerPollMs ? { printerPollMs: opts.printerPollMs } : {}),
  });
  await agent.start();
  if (config.listen) agent.socket = await listenForRenderers(agent, config.listen, opts.logger);
  return agent;
}
