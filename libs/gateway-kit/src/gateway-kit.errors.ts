import { AppError } from '@omnigate/kit';

/**
 * The streams do not exist yet (their owner, the router, has not started): the gateway waits and
 * answers 503 with Retry-After, so the provider tries again and nothing is lost.
 */
export class GatewayNotReadyError extends AppError {
  constructor() {
    super('GATEWAY.STREAMS_UNAVAILABLE', 'The message streams do not exist yet; try again later', {
      retryable: true,
    });
  }
}

/** A list the gateway keeps in NATS KV (opt-outs, sent ledger) could not be read or written: 503. */
export class GatewayStateUnavailableError extends AppError {
  constructor(what: string, cause: unknown) {
    super('GATEWAY.STATE_UNAVAILABLE', `The gateway's ${what} could not be used`, {
      cause,
      retryable: true,
    });
  }
}
