/** The HTTP API v1 from a screen: JSON in and out; errors become ApiFailure with the server's code and message. */
import type { ErrorCode } from '@yimen/shared';

export class ApiFailure extends Error {
  constructor(
    readonly status: number,
    readonly code: ErrorCode | 'NETWORK',
    message: string,
  ) {
    super(message);
  }
}

export async function api<T>(method: string, path: string, token: string | null, body?: unknown): Promise<T> {
  const headers: Record<string, string> = {};
  if (token) headers.authorization = `Bearer ${token}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  let r: Response;
  try {
    r = await fetch(`/api/v1${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  } catch {
    throw new ApiFailure(0, 'NETWORK', '网络连接中断，请稍后重试。');
  }
  if (r.status === 204) return undefined as T;
  const json = (await r.json().catch(() => null)) as { error?: { code: ErrorCode; message: string } } | null;
  if (!r.ok)
    throw new ApiFailure(r.status, json?.error?.code ?? 'INTERNAL', json?.error?.message ?? `服务器错误（${r.status}）。`);
  return json as T;
}
