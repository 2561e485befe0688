import { ZodError } from 'zod';
import { AppError } from '@omnigate/kit';

/**
 * The reply envelope of every request on the bus: a result, or an error with a stable code that
 * the caller's edge translates (HTTP status, socket error). Wire format: do not change casually.
 */
export type RpcReply =
  { ok: true; data: unknown } | { ok: false; error: { code: string; message: string } };

/** What a caller may learn of a failure: an AppError's code and message, never internals. */
export function toRpcError(e: unknown): { code: string; message: string } {
  if (e instanceof AppError) return { code: e.code, message: e.message };
  if (e instanceof ZodError) {
    return {
      code: 'REQUEST.INVALID',
      message: e.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '),
    };
  }
  if (e instanceof SyntaxError) {
    return { code: 'REQUEST.MALFORMED', message: 'request is not JSON' };
  }
  return { code: 'INTERNAL', message: 'internal error' };
}

/** An error the handler did not mean (a bug, a dependency's exception): worth a log line. */
export function isUnexpected(e: unknown): boolean {
  return !(e instanceof AppError) && !(e instanceof ZodError) && !(e instanceof SyntaxError);
}

export function encodeJson(value: unknown): Uint8Array {
  return Buffer.from(JSON.stringify(value));
}

export function decodeJson(data: Uint8Array): unknown {
  return JSON.parse(Buffer.from(data).toString('utf8'));
}
