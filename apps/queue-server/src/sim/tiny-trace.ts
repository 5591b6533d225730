/**
 * A fixed tiny trace for the simulator's hand-computed tests (engine.test.ts, predictors.test.ts): one
 * service, one window, four citizens (an elderly one, a no-show).
 */
import type { HallConfig } from '@yimen/shared';
import { validateHallConfig } from '../app/hall-config.js';
import type { Arrival } from './plan.js';
import { readTrace } from './plan.js';

export function tinyTrace(): { hall: HallConfig; arrivals: Arrival[] } {
  const hall = validateHallConfig({
    hall: { name: '测试' },
    services: [{ id: 'a', prefix: 'A', name: '甲', department: '局', category: '综合服务', defaultServiceMinutes: 5 }],
    counters: [{ id: 'w1', number: 1, name: '1号窗口', kind: 'comprehensive', serviceIds: ['a'] }],
  });
  const arrivals = readTrace(
    [
      'arrival,service,priority,duration_s,no_show',
      '09:00:00,a,none,300,0',
      '09:01:00,a,none,300,0',
      '09:02:00,a,elderly,120,0',
      '09:03:00,a,none,,1',
    ].join('\n'),
    hall,
  );
  return { hall, arrivals };
}
