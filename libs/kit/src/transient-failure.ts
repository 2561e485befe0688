import { AppError } from './app-error';

/** Socket-level failures: the peer is down, restarting, or the network between us is. */
const SOCKET_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENETDOWN',
  'EAI_AGAIN',
]);

/**
 * SQLSTATEs that pass by themselves: connection exceptions (class 08), the server shutting down
 * or starting (57P01-57P03), too many connections (53300), a serialization failure or deadlock
 * (40001, 40P01: the transaction may simply run again).
 */
const SQLSTATE = /^(08...|57P0[123]|53300|40001|40P01)$/;

/** node-postgres says these in words only (no code): the connection went away under a query. */
const DRIVER_MESSAGES =
  /Connection terminated|timeout exceeded when trying to connect|not queryable|Connection refused/i;

/**
 * True when `e` says that a dependency is down or slow rather than that the message is wrong: an
 * AppError marked transient, or a driver / socket failure (in its cause chain: drizzle wraps the
 * driver's error). An AppError decides for itself, whatever caused it: a permanent one is final,
 * and a retryable one that is not transient is a deliberate, limited retry (the router's identity
 * lookup defers a few times, then keeps a new address as a contact). Pure.
 */
export function isTransientFailure(e: unknown, depth = 0): boolean {
  if (!e || typeof e !== 'object' || depth > 6) return false;
  if (e instanceof AppError) return e.transient;
  const err = e as { code?: unknown; message?: unknown; cause?: unknown; errors?: unknown };
  if (typeof err.code === 'string' && (SOCKET_CODES.has(err.code) || SQLSTATE.test(err.code))) {
    return true;
  }
  if (typeof err.message === 'string' && DRIVER_MESSAGES.test(err.message)) return true;
  // An AggregateError (every address of a host refused) carries its causes in `errors`.
  if (Array.isArray(err.errors) && err.errors.some((x) => isTransientFailure(x, depth + 1))) {
    return true;
  }
  return isTransientFailure(err.cause, depth + 1);
}
