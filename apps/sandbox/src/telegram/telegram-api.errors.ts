/**
 * An error as the Bot API returns it: HTTP status = error_code, body
 * `{ok:false, error_code, description, parameters?}` (https://core.telegram.org/bots/api#making-requests).
 * telegraf turns it into a TelegramError with the same code, description and parameters.
 */
export class TelegramApiError extends Error {
  constructor(
    readonly status: number,
    readonly description: string,
    readonly parameters?: { retry_after?: number; migrate_to_chat_id?: number },
  ) {
    super(description);
    this.name = 'TelegramApiError';
  }

  toBody(): Record<string, unknown> {
    return {
      ok: false,
      error_code: this.status,
      description: this.description,
      ...(this.parameters ? { parameters: this.parameters } : {}),
    };
  }
}

/** Telegram's own wording of the errors the sandbox can produce. */
export const TelegramErrors = {
  unauthorized: () => new TelegramApiError(401, 'Unauthorized'),
  methodNotFound: () => new TelegramApiError(404, 'Not Found: method not found'),
  webhookActive: () =>
    new TelegramApiError(
      409,
      "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first",
    ),
  otherGetUpdates: () =>
    new TelegramApiError(
      409,
      'Conflict: terminated by other getUpdates request; make sure that only one bot instance is running',
    ),
  blocked: () => new TelegramApiError(403, 'Forbidden: bot was blocked by the user'),
  chatNotFound: () => new TelegramApiError(400, 'Bad Request: chat not found'),
  tooManyRequests: (retryAfter: number) =>
    new TelegramApiError(429, `Too Many Requests: retry after ${retryAfter}`, {
      retry_after: retryAfter,
    }),
  badRequest: (what: string) => new TelegramApiError(400, `Bad Request: ${what}`),
  internal: () => new TelegramApiError(500, 'Internal Server Error'),
};
