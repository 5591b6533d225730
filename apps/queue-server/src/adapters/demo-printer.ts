/**
 * Demo mode only: what the demo kiosk's virtual printer printed, for anyone to see (the manager view shows
 * it): GET /demo/printer/index.json (newest first) and GET /demo/printer/<NNNN-HHMMSS>.png. Printed tickets
 * hold nothing personal (number, service, the status page's QR).
 */
import { createReadStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';

const PNG_NAME = /^\d{4,}-\d{6}\.png$/;

export function registerDemoPrinter(app: FastifyInstance, dir: string): void {
  const missing = (what: string) => ({ error: { code: 'NOT_FOUND', message: `没有${what}。` } });
  app.get('/demo/printer/index.json', async (_req, reply) => {
    try {
      const text = await readFile(join(dir, 'index.json'), 'utf8');
      return reply.header('cache-control', 'no-cache').type('application/json; charset=utf-8').send(text);
    } catch {
      return reply.code(404).send(missing('打印记录'));
    }
  });
  app.get<{ Params: { file: string } }>('/demo/printer/:file', async (req, reply) => {
    const { file } = req.params;
    if (!PNG_NAME.test(file)) return reply.code(404).send(missing('这张号票'));
    const stream = createReadStream(join(dir, file));
    const opened = await new Promise<boolean>((res) => {
      stream.once('open', () => res(true));
      stream.once('error', () => res(false));
    });
    if (!opened) return reply.code(404).send(missing('这张号票'));
    return reply.header('cache-control', 'public, max-age=3600, immutable').type('image/png').send(stream);
  });
}
