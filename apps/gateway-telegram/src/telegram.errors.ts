import { AppError } from '@omnigate/kit';

/** An update POSTed without X-Telegram-Bot-Api-Secret-Token: 403, nothing published. */
export class TelegramSecretMissingError extends AppError {
  constructor() {
    super('TELEGRAM.SIGNATURE_MISSING', 'The X-Telegram-Bot-Api-Secret-Token header is missing');
  }
}

/** An update whose secret token is not ours: 403, nothing published. */
export class TelegramSecretInvalidError extends AppError {
  constructor() {
    super(
      'TELEGRAM.SIGNATURE_INVALID',
      'The X-Telegram-Bot-Api-Secret-Token header does not match our webhook secret',
    );
  }
}

/** A body that is not a Telegram Update (no numeric update_id): 400 with the reason. */
export class TelegramUpdateMalformedError extends AppError {
  constructor(reason: string) {
    super('TELEGRAM.UPDATE_MALFORMED', reason);
  }
}
