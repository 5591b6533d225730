/**
 * The device bridge's configuration (YAML or JSON): the queue server, the RS-485 lines of call keypads and
 * key evaluators (FF 68 bus) with each device's address and counter, and the window screens. Validated
 * with messages that name the bad entry; tokens are device tokens of the API (kind call-keypad and
 * evaluation-pad, bound to the counter).
 */
import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';

const Token = z.string().min(16, 'a device token from POST /api/v1/devices');
const CounterId = z.string().regex(/^[A-Za-z0-9_.:-]{1,64}$/, 'a counter id of the hall (e.g. w01)');
const Address = z.number().int().min(1).max(0x7f);

export const KeypadConfig = z.strictObject({
  /** The keypad's bus address (1–127). */
  address: Address,
  counter: CounterId,
  /** Device token of kind call-keypad for this counter. */
  token: Token,
  /** Device token of kind evaluation-pad for this counter, when a key evaluator hangs on the line. */
  evaluatorToken: Token.optional(),
  /** 4-key evaluators send 0–3, 5-key ones 0–4 (mapped to the five levels: see hardware/README.md). */
  evaluatorKeys: z.union([z.literal(4), z.literal(5)]).default(4),
});
export type KeypadConfig = z.infer<typeof KeypadConfig>;

export const LineConfig = z.strictObject({
  /** Serial device of the RS-485 adapter (/dev/ttyUSB0, COM3). */
  port: z.string().min(1),
  baudRate: z.number().int().positive().default(9600),
  protocol: z.literal('ff68').default('ff68'),
  /** The host variant the devices were set up for: jackqchen or hallquefront (hardware/src/counter-bus). */
  profile: z.enum(['jackqchen', 'hallquefront']).default('jackqchen'),
  /** An identical key frame again within this many ms is the keypad resending, not a second press. */
  duplicateWindowMs: z.number().int().min(0).max(10_000).default(1000),
  keypads: z.array(KeypadConfig).min(1),
});
export type LineConfig = z.infer<typeof LineConfig>;

export const ScreenConfig = z.strictObject({
  counter: CounterId,
  protocol: z.enum(['onbon', 'cp5200']),
  /** onbon: tcp://host:5005 or a serial device (57600 8N1); cp5200: a serial device (115200 8N1). */
  uri: z.string().min(1),
  /** The screen's address: Onbon screen number, CP5200 card id. */
  address: z.number().int().min(1).max(65534).default(1),
  width: z.number().int().min(16).max(4096).default(192),
  height: z.number().int().min(8).max(1024).default(32),
  /** What a call shows; {number} and {counter} are filled in. */
  callText: z
    .string()
    .min(1)
    .max(60)
    .refine((t) => t.includes('{number}'), 'must contain {number}')
    .default('请{number}号到{counter}号窗口'),
  /** What the screen shows between calls ({counter} filled in). */
  idleText: z.string().max(60).default('{counter}号窗口 欢迎您'),
  /** What it shows while the counter is paused or closed. */
  pausedText: z.string().max(60).default('暂停服务'),
});
export type ScreenConfig = z.infer<typeof ScreenConfig>;

export const BridgeConfig = z
  .strictObject({
    /** The queue server, e.g. http://192.168.1.10:8080 */
    server: z
      .string()
      .url()
      .refine((u) => /^https?:\/\//.test(u), 'an http:// or https:// address'),
    /**
     * The token the bridge follows the hall with: a device of its own (kind hall-display, named after the
     * bridge), so the managers see the bridge itself, and each keypad is online exactly while its line is.
     */
    token: Token,
    /** A keypad's 呼叫 at a closed counter opens it first. */
    autoOpen: z.boolean().default(true),
    /** How long an evaluator waits for the citizen's key after 办结, seconds (then 未评价, nothing stored). */
    evaluationTimeoutSeconds: z.number().int().min(5).max(600).default(60),
    lines: z.array(LineConfig).default([]),
    screens: z.array(ScreenConfig).default([]),
  })
  .superRefine((c, ctx) => {
    const seen = new Map<string, string>();
    c.lines.forEach((line, i) => {
      line.keypads.forEach((k, j) => {
        const where = `lines[${i}].keypads[${j}]`;
        const key = `${line.port}#${k.address}`;
        if (seen.has(key))
          ctx.addIssue({
            code: 'custom',
            path: ['lines', i, 'keypads', j, 'address'],
            message: `address ${k.address} is already used on ${line.port} by ${seen.get(key)}`,
          });
        seen.set(key, where);
      });
    });
    const ports = c.lines.map((l) => l.port);
    ports.forEach((p, i) => {
      if (ports.indexOf(p) !== i) ctx.addIssue({ code: 'custom', path: ['lines', i, 'port'], message: `${p} is listed twice` });
    });
    if (c.lines.length === 0 && c.screens.length === 0)
      ctx.addIssue({ code: 'custom', path: [], message: 'no lines and no screens: nothing to bridge' });
  });
export type BridgeConfig = z.infer<typeof BridgeConfig>;
export type BridgeConfigInput = z.input<typeof BridgeConfig>;

export class BridgeConfigError extends Error {
  readonly code = 'BRIDGE_CONFIG_INVALID';
}

/** Validates a parsed configuration; the message names every bad entry by its path. */
export function validateBridgeConfig(input: unknown, source = 'the bridge configuration'): BridgeConfig {
  const r = BridgeConfig.safeParse(input);
  if (r.success) return r.data;
  const problems = r.error.issues.map((i) => `  ${i.path.join('.') || '(top)'}: ${i.message}`).join('\n');
  throw new BridgeConfigError(`${source} is invalid:\n${problems}`);
}

/** Reads a YAML or JSON file. */
export function loadBridgeConfig(file: string): BridgeConfig {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new BridgeConfigError(`cannot read the bridge configuration ${file}: ${(e as Error).message}`);
  }
  let input: unknown;
  try {
    input = parseYaml(text);
  } catch (e) {
    throw new BridgeConfigError(`${file} is not valid YAML or JSON: ${(e as Error).message}`);
  }
  return validateBridgeConfig(input, file);
}
