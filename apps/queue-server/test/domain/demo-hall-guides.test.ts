/**
 * The demo hall's 办事指南 (service guides, GB/T 39046): every service has one, its deadlines agree
 * with its item type, and its 办理地点 names windows that really serve the service — so the guides stay
 * honest when the counters of apps/queue-server/halls/demo-hall.yaml change.
 */
import { readFileSync } from 'node:fs';
import { HallConfig, type ServiceGuide } from '@yimen/shared';
import { describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { loadHallConfig } from '../../src/app/hall-config.js';
import { DEMO_HALL_FILE } from '../../src/main-config.js';

const config = loadHallConfig(DEMO_HALL_FILE);

/** The services with their guides; a service without one fails the first test. */
const guided = config.services.flatMap((s) => (s.guide ? [{ service: s, guide: s.guide }] : []));

/** Offending service ids (with a reason) of a check over every guide; [] when all pass. */
function offenders(check: (guide: ServiceGuide, serviceId: string) => string | null): string[] {
  return guided.flatMap(({ service, guide }) => {
    const why = check(guide, service.id);
    return why === null ? [] : [`${service.id}: ${why}`];
  });
}

/**
 * The window numbers a location names: every list of numbers and ranges before 号窗口,
 * e.g. "综合服务区 1–8 号窗口" → 1…8, "23 号窗口（7、8 号窗口兼办）" → 23, 7, 8.
 */
function windowNumbers(location: string): number[] {
  const out: number[] = [];
  for (const [, list = ''] of location.matchAll(/([\d\s、,，–—-]+)号窗口/g)) {
    for (const [, from, to, single] of list.matchAll(/(\d+)\s*[–—-]\s*(\d+)|(\d+)/g)) {
      if (single !== undefined) out.push(Number(single));
      else for (let n = Number(from); n <= Number(to); n++) out.push(n);
    }
  }
  return out;
}

/** The numbers of the counters that serve a service. */
function servingNumbers(serviceId: string): Set<number> {
  return new Set(config.counters.filter((c) => c.serviceIds.includes(serviceId)).map((c) => c.number));
}

describe('demo hall 办事指南', () => {
  it('the file validates against HallConfig from @yimen/shared', () => {
    const parsed = HallConfig.safeParse(YAML.parse(readFileSync(DEMO_HALL_FILE, 'utf8')));
    expect(parsed.success ? [] : parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`)).toEqual([]);
  });

  it('every service has a guide', () => {
    expect(config.services.filter((s) => !s.guide).map((s) => s.id)).toEqual([]);
    expect(guided.length).toBe(config.services.length);
  });

  it('every guide lists conditions, materials, steps and its legal basis', () => {
    expect(
      offenders((g) => {
        if (g.conditions.length < 1) return 'no 受理条件';
        if (g.materials.length < 1) return 'no 申请材料';
        if (g.steps.length < 1) return 'no 办理流程';
        if (g.basis.length < 1) return 'no 设定依据';
        if (!g.basis.every((b) => b.startsWith('《'))) return '设定依据 should name a law, 《…》';
        const names = g.materials.map((m) => m.name);
        if (new Set(names).size !== names.length) return 'a material is listed twice';
        return null;
      }),
    ).toEqual([]);
  });

  it('即办件 have promisedDays 0, 承诺件 a positive promise within the legal limit', () => {
    expect(
      offenders((g) => {
        if (g.itemType === 'immediate' && g.promisedDays !== 0) return '即办件 with promisedDays > 0';
        if (g.itemType === 'promised' && g.promisedDays <= 0) return '承诺件 without promisedDays';
        if (g.legalDays !== null && g.promisedDays > g.legalDays) return '承诺时限 exceeds 法定时限';
        return null;
      }),
    ).toEqual([]);
  });

  it('both 即办件 and 承诺件 appear', () => {
    const types = new Set(guided.map(({ guide }) => guide.itemType));
    expect([...types].sort()).toEqual(['immediate', 'promised']);
  });

  it('the window parser reads ranges and lists', () => {
    expect(windowNumbers('示范县政务服务中心 综合服务区 1–8 号窗口')).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(windowNumbers('咨询服务区 23 号窗口（综合服务区 7、8 号窗口兼办）')).toEqual([23, 7, 8]);
    expect(windowNumbers('公积金专区 19-20号窗口')).toEqual([19, 20]);
    expect(windowNumbers('网办体验区')).toEqual([]);
  });

  it('each location is in the hall and names only windows that serve the service', () => {
    expect(
      offenders((g, serviceId) => {
        if (!g.location.includes(config.hall.name)) return `location does not name the hall: ${g.location}`;
        const named = windowNumbers(g.location);
        if (named.length === 0) return `location names no window: ${g.location}`;
        const serving = servingNumbers(serviceId);
        const wrong = named.filter((n) => !serving.has(n));
        return wrong.length > 0 ? `windows ${wrong.join(', ')} do not serve it (${g.location})` : null;
      }),
    ).toEqual([]);
  });

  it('a service with its own issuing hours states them in the guide', () => {
    const hhmm = (t: string) => t.replace(/^0/, '');
    expect(
      offenders((g, serviceId) => {
        const own = config.services.find((s) => s.id === serviceId)?.hours ?? [];
        const missing = own.flatMap((r) => [hhmm(r.from), hhmm(r.to)]).filter((t) => !g.hours.includes(t));
        return missing.length > 0 ? `hours "${g.hours}" miss ${missing.join(', ')}` : null;
      }),
    ).toEqual([]);
  });

  it('every guide gives a consulting phone of the same area code', () => {
    expect(offenders((g) => (/^0\d{2,3}-\d{4} ?\d{4}$/.test(g.phone) ? null : `phone ${g.phone}`))).toEqual([]);
    expect(new Set(guided.map(({ guide }) => guide.phone.split('-')[0])).size).toBe(1);
  });
});
