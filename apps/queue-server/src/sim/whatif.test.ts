import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { validateHallConfig } from '../app/hall-config.js';
import { eventsCsv } from './engine.js';
import { loadPlan } from './plan.js';
import { comprehensiveLayout, dedicatedLayout, serviceLoads, whatIf } from './whatif.js';

const PLANS = fileURLToPath(new URL('../../halls/day-plans/', import.meta.url));
const demo = loadPlan(`${PLANS}demo-day.yaml`);
const tiny = loadPlan(`${PLANS}tiny-day.yaml`);
const departmentOf = (hall: typeof demo.hall) => new Map(hall.services.map((s) => [s.id, s.department]));

describe('the window layouts of the what-if', () => {
  it('comprehensive: every window serves every service, the windows unchanged', () => {
    const hall = comprehensiveLayout(demo.hall);
    expect(hall.counters.map((c) => c.id)).toEqual(demo.hall.counters.map((c) => c.id));
    const all = demo.hall.services.map((s) => s.id).sort();
    for (const c of hall.counters) expect([...c.serviceIds].sort()).toEqual(all);
    expect(() => validateHallConfig(hall)).not.toThrow();
  });

  it('dedicated, as many departments as windows allow: every window serves exactly one department', () => {
    // A hall of 3 departments on 6 windows; load 2 : 1 : 3 → 2, 1, 3 windows.
    const hall = validateHallConfig({
      hall: { name: 'x' },
      services: [
        { id: 'a1', prefix: 'A', name: 'a1', department: 'A', category: 'c' },
        { id: 'a2', prefix: 'A', name: 'a2', department: 'A', category: 'c' },
        { id: 'b1', prefix: 'B', name: 'b1', department: 'B', category: 'c' },
        { id: 'c1', prefix: 'C', name: 'c1', department: 'C', category: 'd' },
      ],
      counters: Array.from({ length: 6 }, (_, i) => ({
        id: `w${i + 1}`,
        number: i + 1,
        name: `${i + 1}`,
        kind: 'comprehensive' as const,
        serviceIds: ['a1', 'a2', 'b1', 'c1'],
      })),
    });
    const load = new Map([
      ['a1', 1],
      ['a2', 1],
      ['b1', 1],
      ['c1', 3],
    ]);
    const d = dedicatedLayout(hall, load);
    expect(d.hall.counters).toHaveLength(6);
    const dep = departmentOf(hall);
    for (const c of d.hall.counters) expect(new Set(c.serviceIds.map((s) => dep.get(s))).size).toBe(1);
    const windows = (x: string) => d.hall.counters.filter((c) => dep.get(c.serviceIds[0] as string) === x).length;
    expect([windows('A'), windows('B'), windows('C')]).toEqual([2, 1, 3]);
    expect(d.desks.every((x) => x.departments.length === 1)).toBe(true);
  });

  it('dedicated, the demo hall (more departments than windows): desks of whole departments, the windows unchanged', () => {
    const d = dedicatedLayout(demo.hall, serviceLoads(demo));
    expect(d.hall.counters.map((c) => c.id)).toEqual(demo.hall.counters.map((c) => c.id));
    expect(d.desks.reduce((a, x) => a + x.counterIds.length, 0)).toBe(25);
    expect(() => validateHallConfig(d.hall)).not.toThrow();
    const dep = departmentOf(demo.hall);
    // Each department on exactly one desk; a window serves exactly its desk's services.
    const deskOf = new Map<string, number>();
    d.desks.forEach((x, i) => {
      for (const name of x.departments) {
        expect(deskOf.has(name)).toBe(false);
        deskOf.set(name, i);
      }
    });
    for (const c of d.hall.counters) {
      const desks = new Set(c.serviceIds.map((s) => deskOf.get(dep.get(s) as string)));
      expect(desks.size).toBe(1);
      const desk = d.desks[[...desks][0] as number];
      expect([...c.serviceIds].sort()).toEqual([...(desk?.serviceIds ?? [])].sort());
    }
    // Every service with load is served somewhere.
    const served = new Set(d.hall.counters.flatMap((c) => c.serviceIds));
    for (const [id, l] of serviceLoads(demo)) if (l > 0) expect(served.has(id)).toBe(true);
  });
});

describe('the what-if', () => {
  it('is deterministic for a seed, with the same citizens on every layout', () => {
    const one = whatIf(tiny, 3);
    const two = whatIf(tiny, 3);
    expect(one.rows.map((r) => r.layout)).toEqual(['as configured', 'dedicated', 'comprehensive']);
    one.rows.forEach((r, i) => {
      expect(eventsCsv(two.rows[i]?.result.events ?? [])).toBe(eventsCsv(r.result.events));
      expect(r.windows).toBe(3);
    });
    const tickets = one.rows.map((r) => r.summary.all.tickets);
    expect(new Set(tickets).size).toBe(1);
    expect(eventsCsv(whatIf(tiny, 4).rows[0]?.result.events ?? [])).not.toBe(eventsCsv(one.rows[0]?.result.events ?? []));
  });
});
