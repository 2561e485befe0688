import { AppError } from '@omnigate/kit';

/**
 * The gateway's state in NATS (KV, object store) could not be used: the sending server retries
 * (4xx), an outbound send waits (nak).
 */
export class EmailStoreUnavailableError extends AppError {
  constructor(cause: unknown) {
    super('EMAIL.STORE_UNAVAILABLE', 'The email store could not be written', {
      cause,
      retryable: true,
    });
  }
}

/** An inbound mail we cannot read as a customer message (no From address, unparsable MIME). */
export class EmailMalformedError extends AppError {
  constructor(reason: string, cause?: unknown) {
    super('EMAIL.MALFORMED', reason, { cause });
  }
}
