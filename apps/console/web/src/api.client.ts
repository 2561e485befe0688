/** The console's HTTP API as the browser calls it: same origin, session cookie, CSRF header. */

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export interface Session {
  agentId: string;
  role: 'agent' | 'supervisor' | 'admin' | 'dpo';
  queues: string[];
  expiresAt: string;
  csrfToken: string;
}

type Method = 'GET' | 'POST' | 'PUT' | 'DELETE';

let csrfToken: string | null = null;
let onUnauthorized: (() => void) | null = null;

/** The CSRF token of the current session: sent on every request that changes something. */
export function useSession(session: Session | null): void {
  csrfToken = session?.csrfToken ?? null;
}

/** Called when the server says the session is gone (expired, logged out elsewhere). */
export function whenUnauthorized(handler: () => void): void {
  onUnauthorized = handler;
}

export async function api<T>(method: Method, path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (method !== 'GET' && csrfToken) headers['x-csrf-token'] = csrfToken;
  const res = await fetch(path, {
    method,
    headers,
    credentials: 'same-origin',
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (res.status === 204) return undefined as T;
  const data = (await res.json().catch(() => null)) as {
    error?: { code?: string; message?: string };
  } | null;
  if (!res.ok) {
    if (res.status === 401 && !path.endsWith('/login')) onUnauthorized?.();
    throw new ApiError(
      res.status,
      data?.error?.code ?? `HTTP_${res.status}`,
      data?.error?.message ?? res.statusText,
    );
  }
  return data as T;
}

/** A stable key per click, so a retried request is applied once. */
export function idempotencyKey(): string {
  return crypto.randomUUID();
}
