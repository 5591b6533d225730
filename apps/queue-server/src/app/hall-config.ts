/**
 * Loads and validates a hall configuration file (YAML or JSON). Every problem is reported with the
 * entry it is in, e.g. `counters[3] (id "w04"): serviceIds[2]: unknown service "gen-x"`.
 */
import { readFileSync } from 'node:fs';
import type { HallConfig as HallConfigType } from '@yimen/shared';
import { HallConfig, parseHhMm } from '@yimen/shared';
import YAML from 'yaml';

export class HallConfigError extends Error {
  constructor(
    readonly file: string,
    readonly problems: string[],
  ) {
    super(`hall configuration ${file} is not valid:\n  - ${problems.join('\n  - ')}`);
    this.name = 'HallConfigError';
  }
}

function entryName(root: unknown, path: PropertyKey[]): string {
  let out = '';
  let node: unknown = root;
  for (const key of path) {
    out += typeof key === 'number' ? `[${key}]` : out === '' ? String(key) : `.${String(key)}`;
    node = node && typeof node === 'object' ? (node as Record<PropertyKey, unknown>)[key] : undefined;
    if (typeof key === 'number' && node && typeof node === 'object') {
      const n = node as { id?: unknown; username?: unknown };
      const label = typeof n.id === 'string' ? `id "${n.id}"` : typeof n.username === 'string' ? `username "${n.username}"` : '';
      if (label) out += ` (${label})`;
    }
  }
  return out || '(top level)';
}

/** Validates a parsed configuration; throws HallConfigError naming every bad entry. */
export function validateHallConfig(raw: unknown, file = '(inline)'): HallConfigType {
  const parsed = HallConfig.safeParse(raw);
  if (!parsed.success)
    throw new HallConfigError(
      file,
      parsed.error.issues.map((i) => `${entryName(raw, i.path)}: ${i.message}`),
    );
  const c = parsed.data;
  const problems: string[] = [];
  const dup = (what: string, values: (string | number)[]) => {
    const seen = new Set<string | number>();
    values.forEach((v, i) => {
      if (seen.has(v)) problems.push(`${what}[${i}]: "${v}" appears twice`);
      seen.add(v);
    });
  };
  dup(
    'services',
    c.services.map((s) => s.id),
  );
  dup(
    'counters',
    c.counters.map((x) => x.id),
  );
  dup(
    'counters.number',
    c.counters.map((x) => x.number),
  );
  dup(
    'users',
    c.users.map((u) => u.username),
  );
  const services = new Set(c.services.map((s) => s.id));
  const counters = new Set(c.counters.map((x) => x.id));
  c.counters.forEach((x, i) => {
    x.serviceIds.forEach((sid, j) => {
      if (!services.has(sid)) problems.push(`counters[${i}] (id "${x.id}"): serviceIds[${j}]: unknown service "${sid}"`);
    });
  });
  c.users.forEach((u, i) => {
    u.counterIds.forEach((cid, j) => {
      if (!counters.has(cid)) problems.push(`users[${i}] (username "${u.username}"): counterIds[${j}]: unknown counter "${cid}"`);
    });
  });
  const ranges = (where: string, hours: { from: string; to: string }[]) => {
    hours.forEach((r, j) => {
      if (parseHhMm(r.from) >= parseHhMm(r.to)) problems.push(`${where}hours[${j}]: "from" ${r.from} is not before "to" ${r.to}`);
    });
  };
  ranges('settings.default', c.settings.defaultHours);
  c.services.forEach((s, i) => {
    ranges(`services[${i}] (id "${s.id}"): `, s.hours ?? []);
  });
  if (problems.length > 0) throw new HallConfigError(file, problems);
  return c;
}

export function loadHallConfig(file: string): HallConfigType {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new HallConfigError(file, [`cannot read the file: ${(e as Error).message}`]);
  }
  let raw: unknown;
  try {
    raw = /\.json$/i.test(file) ? JSON.parse(text) : YAML.parse(text);
  } catch (e) {
    throw new HallConfigError(file, [
      `not valid ${/\.json$/i.test(file) ? 'JSON' : 'YAML'}: ${(e as Error).message.split('\n')[0]}`,
    ]);
  }
  return validateHallConfig(raw, file);
}
