#!/usr/bin/env node
/**
 * The kiosk agent as a process, beside `chromium --kiosk` (apps/kiosk/scripts/kiosk-chromium.sh):
 *   YIMEN_SERVER_URL=… YIMEN_KIOSK_TOKEN=… YIMEN_PRINTER=tcp://10.0.0.9:9100 YIMEN_ID_READER=/dev/ttyUSB0 \
 *   YIMEN_AGENT_PORT=17480 YIMEN_AGENT_KEY=… node apps/kiosk/dist/agent/main.js [--config kiosk.json]
 * `--virtual-printer <pngDir>` starts a virtual printer in this process and prints to it (demos, tests):
 * each ticket becomes a PNG in pngDir. Prints `kiosk agent listening on http://…` once it accepts renderers.
 */
import { VirtualPrinter } from '@yimen/hardware/printer/virtual-printer';
import pino from 'pino';
import { AgentConfigError, loadAgentConfig, startAgent } from './index.js';

const log = pino({ name: 'yimen-kiosk-agent', level: process.env.LOG_LEVEL ?? 'info' });

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

async function main(): Promise<void> {
  let config: ReturnType<typeof loadAgentConfig>;
  try {
    config = loadAgentConfig(process.env, arg('--config'));
  } catch (e) {
    if (e instanceof AgentConfigError) {
      process.stderr.write(`${e.message}\n`);
      process.exit(2);
    }
    throw e;
  }
  let printer: VirtualPrinter | null = null;
  const pngDir = arg('--virtual-printer');
  if (pngDir !== undefined) {
    printer = new VirtualPrinter({
      port: 0,
      pngDir,
      paper: config.paper,
      onError: (err) => log.error({ err: String(err) }, 'virtual printer could not render a job'),
    });
    await printer.listen();
    config = { ...config, printerUri: printer.uri };
    log.info({ uri: printer.uri, pngDir }, 'virtual printer started');
  }
  const agent = await startAgent(config, { logger: log });
  const where = agent.socket?.url ?? '(no renderer socket: YIMEN_AGENT_PORT and YIMEN_AGENT_KEY unset)';
  process.stdout.write(`kiosk agent listening on ${where}\n`);
  const stop = async () => {
    await agent.close();
    await printer?.close();
    process.exit(0);
  };
  process.once('SIGTERM', () => void stop());
  process.once('SIGINT', () => void stop());
}

main().catch((e: unknown) => {
  log.fatal({ err: e instanceof Error ? e.message : String(e) }, 'kiosk agent failed to start');
  process.exit(1);
});
