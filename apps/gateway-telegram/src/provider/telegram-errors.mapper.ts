import { TelegramSendError } from './telegram-send.errors';

/** What we know of a failed Bot API call: its error_code, description and parameters, if any. */
export interface TelegramFailure {
  /** error_code of the answer (HTTP status); null when no answer came (network). */
  status: number | null;
  description: string | null;
  retryAfterS: number | null;
}

export const BLOCKED_REASON =
  'Not sent: the customer blocked our Telegram bot; they must unblock it (or write to it) first';

/**
 * Telegram's answer → what to do. https://core.telegram.org/bots/api#making-requests
 * 403 = the bot may not write to this user (blocked, deactivated); 400 = a bad request that
 * retrying cannot fix; 429 = flood control with retry_after; 5xx or no answer = retry.
 */
export function classifyTelegramFailure(f: TelegramFailure, cause?: unknown): TelegramSendError {
  const d = (f.description ?? '').toLowerCase();
  if (f.status === null) {
    return new TelegramSendError(
      'retry',
      'TELEGRAM.UNREACHABLE',
      'Telegram could not be reached',
      null,
      cause,
    );
  }
  if (f.status === 429) {
    const s = f.retryAfterS !== null && f.retryAfterS >= 0 ? f.retryAfterS : 5;
    return new TelegramSendError(
      'retry_after',
      'TELEGRAM.RATE_LIMITED',
      `Telegram asked us to wait ${s} s (429)`,
      s * 1000,
      cause,
    );
  }
  if (f.status >= 500) {
    return new TelegramSendError(
      'retry',
      'TELEGRAM.UNAVAILABLE',
      `Telegram answered HTTP ${f.status}, will retry`,
      null,
      cause,
    );
  }
  if (f.status === 403 && d.includes('blocked')) {
    return new TelegramSendError('blocked', 'TELEGRAM.BLOCKED', BLOCKED_REASON, null, cause);
  }
  if (f.status === 403) {
    const reason = d.includes('deactivated')
      ? 'Not sent: the customer deleted their Telegram account'
      : 'Not sent: Telegram does not let our bot write to this chat';
    return new TelegramSendError('rejected', 'TELEGRAM.FORBIDDEN', `${reason} (403)`, null, cause);
  }
  if (f.status === 400 && d.includes('chat not found')) {
    return new TelegramSendError(
      'rejected',
      'TELEGRAM.CHAT_NOT_FOUND',
      'Not sent: Telegram does not know this chat (the customer never started the bot, or the id is wrong) (400)',
      null,
      cause,
    );
  }
  if (f.status === 401) {
    return new TelegramSendError(
      'retry',
      'TELEGRAM.UNAUTHORIZED',
      'Telegram refused our bot token: check TELEGRAM_BOT_TOKEN',
      null,
      cause,
    );
  }
  return new TelegramSendError(
    'rejected',
    `TELEGRAM.${f.status}`,
    `Telegram refused the message (HTTP ${f.status})`,
    null,
    cause,
  );
}
