import { AppError } from '@omnigate/kit';

/**
 * NATS or JetStream cannot take the message now, or a request got no answer in time: the caller
 * must make the sender retry. Transient: a consumer waits it out rather than dead-letter.
 */
export class BusUnavailableError extends AppError {
  constructor(message: string, cause?: unknown) {
    super('BUS.UNAVAILABLE', message, { cause, transient: true });
  }
}

/** A handler failed for a reason that may pass (a timeout, a provider 5xx): nak with backoff. */
export class TransientError extends AppError {
  constructor(code: string, message: string, cause?: unknown) {
    super(code, message, { cause, retryable: true });
  }
}

/**
 * A transient failure whose cause said when to come back (a provider's 429 with retry_after):
 * nak with exactly that delay instead of the consumer's backoff.
 */
export class RetryAfterError extends TransientError {
  constructor(
    code: string,
    message: string,
    readonly delayMs: number,
    cause?: unknown,
  ) {
    super(code, message, cause);
  }
}

/** A handler can never succeed with this message: term it and put it on the dead-letter subject. */
export class PermanentError extends AppError {
  constructor(code: string, message: string, cause?: unknown) {
    super(code, message, { cause, retryable: false });
  }
}

export class RpcError extends AppError {
  constructor(code: string, message: string, cause?: unknown) {
    super(code, message, { cause });
  }
}

/**
 * The NATS server refused a publish or subscription for this user (deploy/nats permissions): a
 * deployment mistake or a service reaching beyond its role. Never retried.
 */
export class BusPermissionError extends AppError {
  constructor(message: string, cause?: unknown) {
    super('BUS.PERMISSION_DENIED', message, { cause, retryable: false });
  }
}

/** The user may not create a stream that does not exist yet (its owner has not started). */
export class BusStreamMissingError extends AppError {
  constructor(message: string) {
    super('BUS.STREAM_MISSING', message, { transient: true });
  }
}

/** True for nats.js's permissions violation (a refused publish, request or subscribe). */
export function isPermissionError(e: unknown): boolean {
  const err = e as { code?: unknown; message?: unknown } | null;
  return (
    err?.code === 'PERMISSIONS_VIOLATION' ||
    (typeof err?.message === 'string' && /permissions violation/i.test(err.message))
  );
}

/** The cluster cannot hold as many copies of a stream as NATS_REPLICAS asks. A deployment mistake. */
export class BusReplicasError extends AppError {
  constructor(message: string, cause?: unknown) {
    super('BUS.REPLICAS_UNAVAILABLE', message, { cause, retryable: false });
  }
}
