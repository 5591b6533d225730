/**
 * The hall the in-process benchmarks run: a trimmed copy of the test suite's tinyHall() with no daily
 * caps and no per-person limits, so thousands of tickets in one business day are all issued.
 */
import type { HallConfigInput } from '@yimen/shared';
import type { HttpClient } from './http.js';

/** Monday 2026-11-30 09:00 in Shanghai: a working day. The benchmark clock starts here and runs in real time. */
export const BENCH_START = Date.parse('2026-11-30T09:00:00+08:00');
export const ADMIN_PASSWORD = 'bench-admin-password';
export const CLERK = { username: 'clerk1', password: 'bench-clerk-pass-1', counterId: 'w1' } as const;
/** The services the kiosks issue tickets for, in turn; counter w1 serves all of them. */
export const ISSUE_SERVICES = ['gen-a', 'gen-b'] as const;

export function benchHallInput(): HallConfigInput {
  return {
    hall: { name: '基准测试政务服务中心' },
    settings: { notice: '基准测试' },
    services: [
      { id: 'gen-a', prefix: 'A', name: '综合业务甲', department: '民政局', category: '综合服务', defaultServiceMinutes: 8 },
      { id: 'gen-b', prefix: 'B', name: '综合业务乙', department: '人社局', category: '综合服务', defaultServiceMinutes: 10 },
      { id: 'consult', prefix: 'J', name: '咨询', department: '政务服务中心', category: '咨询服务', defaultServiceMinutes: 3 },
    ],
    counters: [
      { id: 'w1', number: 1, name: '1号综合窗口', kind: 'comprehensive', serviceIds: ['gen-a', 'gen-b'] },
      { id: 'w2', number: 2, name: '2号综合窗口', kind: 'comprehensive', serviceIds: ['gen-a', 'gen-b'] },
      {
        id: 'w3',
        number: 3,
        name: '3号综合窗口',
        kind: 'comprehensive',
        serviceIds: ['gen-b', 'gen-a', 'consult'],
        policy: 'service-order',
      },
    ],
    users: [
      { username: CLERK.username, name: '张晓明', role: 'clerk', staffNo: 'T001', counterIds: ['w1'], password: CLERK.password },
    ],
  };
}

// ---------------------------------------------------------------- API helpers (any Yimen server)

export async function login(client: HttpClient, username: string, password: string): Promise<string> {
  const r = await client.expect<{ token: string }>(200, 'POST', '/api/v1/auth/login', null, { username, password });
  return r.body.token;
}

export async function createDevices(
  client: HttpClient,
  adminToken: string,
  kind: 'kiosk' | 'hall-display',
  count: number,
): Promise<string[]> {
  const tokens: string[] = [];
  for (let i = 0; i < count; i++) {
    const r = await client.expect<{ token: string }>(201, 'POST', '/api/v1/devices', adminToken, {
      kind,
      name: `bench-${kind}-${i + 1}`,
    });
    tokens.push(r.body.token);
  }
  return tokens;
}

/** Issues `count` tickets from one kiosk, one after the other. */
export async function issueTickets(
  client: HttpClient,
  kioskToken: string,
  count: number,
  serviceIds: readonly string[],
  tag: string,
): Promise<void> {
  for (let i = 0; i < count; i++)
    await client.expect(201, 'POST', '/api/v1/tickets', kioskToken, {
      serviceId: serviceIds[i % serviceIds.length],
      requestId: `${tag}-${i}`,
    });
}
