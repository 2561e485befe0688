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

/**
 * A send the provider refused or could not take, as the gateway's client read it: `kind` is what
 * the send loop does (retry with backoff, or a failed status with `reason`: rejected, opted out,
 * blocked), `code` the failed status's stable code (TWILIO.21211, SMTP.550, WHATSAPP.131026...),
 * `reason` a sentence an agent can act on, never the recipient or the text. A gateway names its
 * own subclass (SmsSendError...); the loop reads any of them (sendFailureOf).
 */
export class ProviderSendError extends AppError {
  constructor(
    readonly kind: 'retry' | 'rejected' | 'opted_out' | 'blocked',
    code: string,
    readonly reason: string,
    cause?: unknown,
  ) {
    super(code, reason, { cause, retryable: kind === 'retry' });
  }
}
