import { AppError } from '@omnigate/kit';

/**
 * What the send handler must do after a failed send:
 * - opted_out: the recipient unsubscribed at the provider → record the opt-out, report failed;
 * - rejected: the provider will never accept this message → report failed, do not retry;
 * - retry: rate limit, provider outage, network → retry later with backoff.
 */
export type SendFailureKind = 'opted_out' | 'rejected' | 'retry';

export class SmsSendError extends AppError {
  constructor(
    readonly kind: SendFailureKind,
    /** Our stable code for the failed status (TWILIO.21211, SMS.OPTED_OUT, SMS.PROVIDER_UNAVAILABLE). */
    code: string,
    /** A reason a person can act on; never holds the recipient's number or the text. */
    readonly reason: string,
    cause?: unknown,
  ) {
    super(code, reason, { cause, retryable: kind === 'retry' });
  }
}
