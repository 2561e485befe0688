import { AppError } from '@omnigate/kit';

/**
 * What the send handler must do after a failed Bot API call:
 * - blocked: the customer blocked the bot (403) → record it, report failed, never retry;
 * - rejected: Telegram will never accept this request (400 chat not found...) → failed, no retry;
 * - retry_after: 429 with parameters.retry_after → retry after exactly that delay;
 * - retry: 5xx, network → retry with backoff.
 */
export type TelegramFailureKind = 'blocked' | 'rejected' | 'retry_after' | 'retry';

export class TelegramSendError extends AppError {
  constructor(
    readonly kind: TelegramFailureKind,
    /** Our stable code for the failed status (TELEGRAM.BLOCKED, TELEGRAM.CHAT_NOT_FOUND...). */
    code: string,
    /** A reason a person can act on; never holds the chat id or the text. */
    readonly reason: string,
    /** For retry_after: how long Telegram asked us to wait, ms. */
    readonly retryAfterMs: number | null = null,
    cause?: unknown,
  ) {
    super(code, reason, { cause, retryable: kind === 'retry' || kind === 'retry_after' });
  }
}
