#!/usr/bin/env node
/**
 * The device bridge as a process (one per hall, or per counter PC):
 *   node hardware/dist/bridge/main.js --config /etc/yimen/bridge.yaml
 * It opens the configured serial lines and window screens and acts as the counters' devices towards the
 * queue server. Prints `device bridge running` once started; stops cleanly on SIGTERM; every minute it logs
 * each line's frames, bad frames and duplicates. See hardware/README.md for wiring and the configuration.
 */
import pino from 'pino';
import { DeviceBridge } from './bridge.js';
import { BridgeConfigError, loadBridgeConfig } from './config.js';
import { openLine, openScreen } from './open.js';

const log = pino({ name: 'yimen-device-bridge', level: process.env.LOG_LEVEL ?? 'info' });

async function main(): Promise<void> {
  const i = process.argv.indexOf('--config');
  const file = i >= 0 ? process.argv[i + 1] : process.env.YIMEN_BRIDGE_CONFIG;
  if (!file) {
    process.stderr.write('usage: yimen-device-bridge --config <bridge.yaml>  (or YIMEN_BRIDGE_CONFIG)\n');
    process.exit(2);
  }
  let config: ReturnType<typeof loadBridgeConfig>;
  try {
    config = loadBridgeConfig(file);
  } catch (e) {
    if (e instanceof BridgeConfigError) {
      process.stderr.write(`${e.message}\n`);
      process.exit(2);
    }
    throw e;
  }
  const bridge = await new DeviceBridge(config, { openLine, openScreen, logger: log }).start();
  const lines = config.lines.map((l) => `${l.port} (${l.keypads.length} keypads)`).join(', ') || 'none';
  process.stdout.write(`device bridge running: server ${config.server}; lines ${lines}; screens ${config.screens.length}\n`);
  const report = setInterval(() => log.info({ lines: bridge.lineStats(), stats: bridge.stats }, 'bridge stats'), 60_000);
  report.unref();
  const stop = async () => {
    clearInterval(report);
    await bridge.close();
    process.exit(0);
  };
  process.once('SIGTERM', () => void stop());
  process.once('SIGINT', () => void stop());
}

main().catch((e: unknown) => {
  log.fatal({ err: e instanceof Error ? e.message : String(e) }, 'device bridge failed to start');
  process.exit(1);
});
