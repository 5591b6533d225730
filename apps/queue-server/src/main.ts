/**
 * `npm start`: reads PORT, HOST, YIMEN_DATA_DIR, YIMEN_HALL_CONFIG and YIMEN_ADMIN_PASSWORD (../../shared/API.md,
 * "Running the server"), starts the server and prints "listening on http://…". `--demo` (npm run demo) also
 * lifts the issuing hours, so the demo hall works at any hour, and prints the demo logins.
 * YIMEN_FAKE_TIME (ISO 8601) starts the clock at that instant — for tests and demos only. YIMEN_SCREENS_DIR
 * serves the screens from another build folder (default apps/counter-display/dist), YIMEN_KIOSK_DIR the kiosk's.
 * The demo also starts a kiosk agent with a virtual printer (src/demo-kiosk.ts; YIMEN_DEMO_KIOSK=0: not).
 */
import { networkInterfaces } from 'node:os';
import { join, resolve } from 'node:path';
import { toShanghaiIso } from '@yimen/shared';
import { HallConfigError, loadHallConfig } from './app/hall-config.js';
import { createApp } from './app.js';
import { DEMO_HALL_FILE } from './main-config.js';

/** The password of the demo hall's accounts (apps/queue-server/halls/demo-hall.yaml). */
const DEMO_PASSWORD = 'yimen-demo-2026';

/** The server's addresses on the hall's LAN. */
function lanUrls(url: string): string[] {
  return Object.values(networkInterfaces())
    .flat()
    .filter((a) => a !== undefined && a.family === 'IPv4' && !a.internal)
    .map((a) => `http://${a?.address}:${new URL(url).port}`);
}

function fail(message: string): never {
  process.stderr.write(`yimen: ${message}\n`);
  process.exit(1);
}

async function main() {
  const env = process.env;
  const demo = process.argv.includes('--demo');
  const port = env.PORT === undefined || env.PORT === '' ? 8080 : Number(env.PORT);
  if (!Number.isInteger(port) || port < 0 || port > 65535) fail(`PORT must be a port number, not "${env.PORT}"`);
  const host = env.HOST || '0.0.0.0';
  const dataDir = resolve(env.YIMEN_DATA_DIR || './data');
  const configFile = env.YIMEN_HALL_CONFIG ? resolve(env.YIMEN_HALL_CONFIG) : DEMO_HALL_FILE;
  // The demo brings a kiosk with a virtual printer (YIMEN_DEMO_KIOSK=0: without).
  const demoKiosk = demo && env.YIMEN_DEMO_KIOSK !== '0';

  let clock = Date.now;
  if (env.YIMEN_FAKE_TIME) {
    const start = Date.parse(env.YIMEN_FAKE_TIME);
    if (Number.isNaN(start)) fail(`YIMEN_FAKE_TIME must be an ISO 8601 time, not "${env.YIMEN_FAKE_TIME}"`);
    const boot = Date.now();
    clock = () => start + (Date.now() - boot);
  }

  let hallConfig: ReturnType<typeof loadHallConfig>;
  try {
    hallConfig = loadHallConfig(configFile);
  } catch (e) {
    if (e instanceof HallConfigError) fail(e.message);
    throw e;
  }

  const adminPassword = env.YIMEN_ADMIN_PASSWORD || (demo ? DEMO_PASSWORD : undefined);
  const app = await createApp({
    dbFile: join(dataDir, 'yimen.db'),
    hallConfig,
    clock,
    adminPassword,
    enforceHours: !demo && env.YIMEN_ENFORCE_HOURS !== '0',
    ...(env.YIMEN_SCREENS_DIR ? { screensDir: resolve(env.YIMEN_SCREENS_DIR) } : {}),
    ...(env.YIMEN_KIOSK_DIR ? { kioskDir: resolve(env.YIMEN_KIOSK_DIR) } : {}),
    ...(demoKiosk ? { demoPrinterDir: join(dataDir, 'printer') } : {}),
    logger: { level: env.LOG_LEVEL || 'info' },
  });

  let kiosk: { kioskUrl: string; printerUri: string; close(): Promise<void> } | null = null;
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    app.fastify.log.info(`${signal}: stopping`);
    // A stop that hangs still ends: whatever is committed is safe, the rest was never acknowledged.
    setTimeout(() => {
      process.stderr.write('yimen: stopping took over 10 s; exiting now\n');
      process.exit(1);
    }, 10_000).unref();
    try {
      await kiosk?.close();
      await app.close();
    } catch (e) {
      process.stderr.write(`yimen: error while stopping: ${e instanceof Error ? e.message : String(e)}\n`);
      process.exit(1);
    }
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));

  const url = await app.listen(port, host);
  const out: string[] = [];
  out.push(`Yimen 一门 — ${hallConfig.hall.name}`);
  out.push(`  data:   ${join(dataDir, 'yimen.db')}`);
  out.push(`  hall:   ${configFile}`);
  if (env.YIMEN_FAKE_TIME) out.push(`  clock:  YIMEN_FAKE_TIME, now ${toShanghaiIso(clock())}`);
  if (app.generatedAdminPassword)
    out.push(`  admin:  username admin, password ${app.generatedAdminPassword}  (generated now and shown only this once)`);
  if (demo) {
    out.push(`  demo:   issuing hours are not enforced; demo logins (password ${DEMO_PASSWORD}):`);
    out.push('          admin (unless YIMEN_ADMIN_PASSWORD set another), manager (大厅管理), clerk01 … clerk25 (one per window)');
  }
  if (host === '0.0.0.0') {
    const lan = lanUrls(url);
    if (lan.length > 0) out.push(`  LAN:    ${lan.join('  ')}  (the hall's screens open these)`);
  }
  if (demoKiosk && adminPassword) {
    const { startDemoKiosk } = await import('./demo-kiosk.js');
    const lanUrl = host === '0.0.0.0' ? (lanUrls(url)[0] ?? url) : url;
    try {
      kiosk = await startDemoKiosk({
        serverUrl: url,
        publicUrl: lanUrl,
        dataDir,
        printerDir: join(dataDir, 'printer'),
        adminPassword,
        logger: app.fastify.log,
      });
      out.push(`  kiosk:  ${kiosk.kioskUrl}`);
      out.push(
        `          (取号机: open it on this machine, its agent listens on 127.0.0.1; virtual printer ${kiosk.printerUri}; printed tickets in 大厅管理 and data/printer)`,
      );
    } catch (e) {
      out.push(`  kiosk:  the demo kiosk did not start: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  out.push(`  API:    ${url}/api/v1/openapi.json`);
  out.push(`listening on ${url}`);
  process.stdout.write(`${out.join('\n')}\n`);
}

main().catch((e: unknown) => {
  process.stderr.write(`yimen: could not start: ${e instanceof Error ? e.stack : String(e)}\n`);
  process.exit(1);
});
