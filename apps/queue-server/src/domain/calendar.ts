/** Open days and issuing hours (SPEC.md N5, I3). Pure: China's official calendar comes from chinese-days. */
import type { ServiceConfig } from '@yimen/shared';
import { minuteOfDay, parseHhMm, weekdayOf } from '@yimen/shared';
import chineseDays from 'chinese-days';
import type { Hall } from './model.js';

/** Whether the hall works on a business day: China's working days (holidays and 调休 included), less its closed dates. */
export function isOpenDay(hall: Hall, day: string): boolean {
  if (hall.settings.closedDates.includes(day)) return false;
  if (hall.settings.openDays === 'everyday') return true;
  try {
    return chineseDays.isWorkday(day);
  } catch {
    // Outside the calendar's years: Monday to Friday.
    const wd = weekdayOf(day);
    return wd >= 1 && wd <= 5;
  }
}

export function serviceHours(hall: Hall, service: ServiceConfig) {
  return service.hours && service.hours.length > 0 ? service.hours : hall.settings.defaultHours;
}

/** Whether `now` falls in one of the service's issuing ranges [from, to). */
export function withinHours(hall: Hall, service: ServiceConfig, now: number): boolean {
  const m = minuteOfDay(now);
  return serviceHours(hall, service).some((r) => parseHhMm(r.from) <= m && m < parseHhMm(r.to));
}
