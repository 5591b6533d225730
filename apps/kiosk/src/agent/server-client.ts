/**
 * The agent's side of the HTTP API v1: issue a ticket, read the hall (its name and ticket footer for the
 * print, the services' names), report a component's faults. Errors keep the server's code and zh-CN message;
 * a server that cannot be reached is SERVER_UNREACHABLE, which the renderer may retry with the same requestId.
 */
import type { DeviceReportBody, HallInfo, IssueTicketBody, Service, Ticket } from '@yimen/shared';
import { agentError, type KioskError } from '../contract.js';

export type Result<T> = { data: T } | { error: KioskError; status: number };

export class ServerClient {
  constructor(
    readonly baseUrl: string,
    private readonly token: string,
    private readonly timeoutMs = 5000,
  ) {}

  private async call<T>(method: string, path: string, body?: unknown): Promise<Result<T>> {
    const headers: Record<string, string> = { authorization: `Bearer ${this.token}` };
    if (body !== undefined) headers['content-type'] = 'application/json';
    let r: Response;
    try {
      r = await fetch(new URL(`/api/v1${path}`, this.baseUrl), {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch {
      return { error: agentError('SERVER_UNREACHABLE'), status: 0 };
    }
    const text = await r.text().catch(() => '');
    let json: unknown = null;
    try {
      json = text ? JSON.parse(text) : null;
    } catch {
      json = null;
    }
    if (r.ok) return { data: json as T };
    const err = (json as { error?: KioskError } | null)?.error;
    if (r.status === 401) return { error: agentError('AGENT_UNAUTHORIZED'), status: 401 };
    return {
      error: err && typeof err.code === 'string' ? { code: err.code, message: err.message } : agentError('SERVER_UNREACHABLE'),
      status: r.status,
    };
  }

  issue(body: IssueTicketBody): Promise<Result<{ ticket: Ticket }>> {
    return this.call('POST', '/tickets', body);
  }

  hall(): Promise<Result<{ hall: HallInfo; services: Service[] }>> {
    return this.call('GET', '/hall');
  }

  report(body: DeviceReportBody): Promise<Result<unknown>> {
    return this.call('POST', '/devices/me/reports', body);
  }
}
