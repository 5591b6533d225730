/**
 * Serves the built screens (apps/counter-display/dist) on the hall's LAN: the pages /hall, /counter/{n},
 * /clerk, /pad/{n}, /manager all load one app, whose files live under /screens/.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';

export const DEFAULT_SCREENS_DIR = fileURLToPath(new URL('../../../counter-display/dist/', import.meta.url));
export const SCREEN_PATHS = ['/hall', '/counter/:number', '/clerk', '/pad/:number', '/manager'] as const;

export async function registerScreens(app: FastifyInstance, dir = DEFAULT_SCREENS_DIR): Promise<void> {
  const built = existsSync(`${dir}/index.html`);
  if (built) await app.register(fastifyStatic, { root: dir, prefix: '/screens/', index: false, maxAge: '1h', immutable: true });
  for (const path of SCREEN_PATHS) {
    app.get(path, async (_req, reply) => {
      if (!built)
        return reply
          .code(503)
          .type('text/html; charset=utf-8')
          .send('<!doctype html><meta charset="utf-8"><p>屏幕程序尚未构建：请在服务器上运行 npm run build。</p>');
      return reply.header('cache-control', 'no-cache').sendFile('index.html', dir);
    });
  }
}
