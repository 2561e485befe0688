/**
 * Base of every domain error: a stable `code` ('CHANNEL.SIGNATURE_INVALID') and a cause.
 * Only the edges translate codes (HTTP status, bus ack/nak/term); see error-status.ts.
 *
 * `retryable`: the same request may succeed later (a consumer retries it a few times).
 * `transient`: a dependency of ours is down or slow (database, core banking, a NATS request):
 * the same message WILL succeed once it is back, so a consumer waits as long as that takes and
 * never dead-letters it. Transient implies retryable.
 */
export class AppError extends Error {
  constructor(
    readonly code: string,
    message: string,
    options?: {
      cause?: unknown;
      retryable?: boolean;
      transient?: boolean;
      /** When to come back, seconds: the Retry-After of a 429 or 503 at the HTTP edge. */
      retryAfterSec?: number;
    },
  ) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.transient = options?.transient ?? false;
    this.retryable = this.transient || (options?.retryable ?? false);
    this.retryAfterSec = options?.retryAfterSec;
  }
  readonly retryable: boolean;
  readonly transient: boolean;
  readonly retryAfterSec: number | undefined;
}

export class ConfigError extends AppError {
  constructor(readonly problems: string[]) {
    super('CONFIG.INVALID', `Invalid configuration:\n  - ${problems.join('\n  - ')}`);
  }
}
