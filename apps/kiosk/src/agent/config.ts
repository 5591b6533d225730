/**
 * The kiosk agent's configuration: from the environment, or a JSON file (Electron's kiosk.json), the file's
 * keys overriding nothing the environment sets. Bad configuration stops the agent with a message that names
 * the key — a kiosk that cannot print should say so at start, not at the first citizen.
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';

export interface AgentConfig {
  /** The queue server, e.g. http://192.168.1.10:8080 */
  serverUrl: string;
  /** The kiosk's device token (POST /api/v1/devices kind kiosk, or a pairing approved in the manager view). */
  deviceToken: string;
  /** tcp://host:9100, /dev/usb/lp0, file:/path; null: no printer (tickets on screen only). */
  printerUri: string | null;
  paper: 58 | 80;
  /** Serial port of the SAM ID-card reader; null: none. */
  readerPath: string | null;
  /** The localhost socket for browser renderers; null in Electron (IPC instead). */
  listen: { host: string; port: number; key: string } | null;
  /** The server's address as phones reach it (the ticket's QR); default serverUrl. */
  publicUrl?: string | undefined;
}

const Url = z
  .string()
  .url()
  .refine((u) => /^https?:\/\//.test(u), 'an http:// or https:// address');

const ConfigSchema = z.strictObject({
  serverUrl: Url,
  deviceToken: z.string().min(16, 'the device token from POST /api/v1/devices'),
  printerUri: z.string().min(1).nullable().default(null),
  paper: z.union([z.literal(58), z.literal(80)]).default(80),
  readerPath: z.string().min(1).nullable().default(null),
  listen: z
    .strictObject({
      host: z.string().default('127.0.0.1'),
      port: z.number().int().min(0).max(65535),
      key: z.string().min(16, 'at least 16 characters'),
    })
    .nullable()
    .default(null),
  publicUrl: Url.optional(),
});

export class AgentConfigError extends Error {
  readonly code = 'AGENT_CONFIG_INVALID';
}

/**
 * Env: YIMEN_SERVER_URL, YIMEN_KIOSK_TOKEN, YIMEN_PRINTER, YIMEN_PAPER (58|80), YIMEN_ID_READER,
 * YIMEN_AGENT_PORT + YIMEN_AGENT_KEY (+ YIMEN_AGENT_HOST), YIMEN_PUBLIC_URL. A file: JSON of AgentConfig's fields.
 */
export function loadAgentConfig(env: NodeJS.ProcessEnv, file?: string): AgentConfig {
  let fromFile: Record<string, unknown> = {};
  if (file !== undefined) {
    try {
      fromFile = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
    } catch (e) {
      throw new AgentConfigError(`取号机配置文件无法读取（${file}）：${(e as Error).message}`);
    }
    if (typeof fromFile !== 'object' || fromFile === null || Array.isArray(fromFile))
      throw new AgentConfigError(`取号机配置文件（${file}）须为一个 JSON 对象`);
  }
  const fromEnv: Record<string, unknown> = {};
  if (env.YIMEN_SERVER_URL) fromEnv.serverUrl = env.YIMEN_SERVER_URL;
  if (env.YIMEN_KIOSK_TOKEN) fromEnv.deviceToken = env.YIMEN_KIOSK_TOKEN;
  if (env.YIMEN_PRINTER) fromEnv.printerUri = env.YIMEN_PRINTER;
  if (env.YIMEN_PAPER) fromEnv.paper = Number(env.YIMEN_PAPER);
  if (env.YIMEN_ID_READER) fromEnv.readerPath = env.YIMEN_ID_READER;
  if (env.YIMEN_PUBLIC_URL) fromEnv.publicUrl = env.YIMEN_PUBLIC_URL;
  if (env.YIMEN_AGENT_PORT || env.YIMEN_AGENT_KEY)
    fromEnv.listen = {
      host: env.YIMEN_AGENT_HOST ?? '127.0.0.1',
      port: Number(env.YIMEN_AGENT_PORT ?? 0),
      key: env.YIMEN_AGENT_KEY ?? '',
    };
  const parsed = ConfigSchema.safeParse({ ...fromFile, ...fromEnv });
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.') || '(config)'}: ${i.message}`).join('; ');
    throw new AgentConfigError(`取号机配置有误：${problems}`);
  }
  return parsed.data;
}
