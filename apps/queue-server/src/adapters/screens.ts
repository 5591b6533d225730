/**
 * Serves the built screens (apps/counter-display/dist) on the hall's LAN: the pages /hall, /counter/{n},
 * /clerk, /pad/{n}, /manager all load one app, whose files live under /screens/; and the kiosk renderer
 * (apps/kiosk/dist/renderer) at /kiosk, its files under /kiosk-app/.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';

export const DEFAULT_SCREENS_DIR = fileURLToPath(new URL('../../../counter-display/dist/', import.meta.url));
/** The kiosk renderer (apps/kiosk): its page is /kiosk, its files under /kiosk-app/. */
export const DEFAULT_KIOSK_DIR = fileURLToPath(new URL('../../../kiosk/dist/renderer/', import.meta.url));
export const SCREEN_PATHS = ['/hall', '/counter/:number', '/clerk', '/pad/:number', '/manager'] as const;

export async function registerScreens(
  app: FastifyInstance,
  dir = DEFAULT_SCREENS_DIR,
  kioskDir = DEFAULT_KIOSK_DIR,
): Promise<void> {
  const first = await serveApp(app, dir, '/screens/', SCREEN_PATHS, true);
  await serveApp(app, kioskDir, '/kiosk-app/', ['/kiosk'], !first);
}

async function serveApp(
  app: FastifyInstance,
  dir: string,
  prefix: string,
  paths: readonly string[],
  decorate: boolean,
): Promise<boolean> {
  const built = existsSync(`${dir}/index.html`);
  // reply.sendFile is decorated by the first @fastify/static only.
  if (built)
    await app.register(fastifyStatic, {
      root: dir,
      prefix,
      index: false,
      maxAge: '1h',
      immutable: true,
      decorateReply: decorate,
    });
  for (const path of paths) {
    app.get(path, async (_req, reply) => {
      if (!built)
        return reply
          .code(503)
          .type('text/html; charset=utf-8')
          .send('<!doctype html><meta charset="utf-8"><p>屏幕程序尚未构建：请在服务器上运行 npm run build。</p>');
      return reply.header('cache-control', 'no-cache').sendFile('index.html', dir);
    });
  }
  return built;
}
