/**
 * The hall's offer as the kiosk shows it: categories (from GET /api/v1/guides) with their services (each
 * service names its category by name, or by id) and their waiting counts. Pure.
 */
import type { Category, QueueSummary, Service, ServiceGuide } from '@yimen/shared';

export interface CategoryView {
  id: string;
  name: string;
  /** The glyph of the tile: the category's icon when it is a short text, else its first character. */
  glyph: string;
  services: Service[];
  waiting: number;
}

export function glyphOf(name: string, icon: string | null | undefined): string {
  if (icon && [...icon].length <= 2 && !/^[a-z0-9_-]+$/i.test(icon)) return icon;
  return [...name][0] ?? '·';
}

/**
 * Configured categories first, in their order; services whose category matches none get a category of their
 * own, in the order they appear; categories without a service are left out.
 */
export function categorize(
  services: readonly Service[],
  categories: readonly Category[],
  queues: Record<string, QueueSummary> = {},
): CategoryView[] {
  const views: CategoryView[] = categories.map((c) => ({
    id: c.id,
    name: c.name,
    glyph: glyphOf(c.name, c.icon),
    services: [],
    waiting: 0,
  }));
  for (const s of services) {
    let v = views.find((c) => c.name === s.category) ?? views.find((c) => c.id === s.category);
    if (!v) {
      v = { id: `category:${s.category}`, name: s.category, glyph: glyphOf(s.category, null), services: [], waiting: 0 };
      views.push(v);
    }
    v.services.push(s);
    v.waiting += queues[s.id]?.waiting ?? 0;
  }
  return views.filter((v) => v.services.length > 0);
}

export type GuideMap = Record<string, ServiceGuide>;

export function guideMap(guides: readonly { serviceId: string; guide: ServiceGuide }[]): GuideMap {
  return Object.fromEntries(guides.map((g) => [g.serviceId, g.guide]));
}

/** Splits a list into pages of `size` (at least one page, maybe empty). */
export function pages<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out.length ? out : [[]];
}
