import { AppError } from '@omnigate/kit';

export class ConversationNotFoundError extends AppError {
  constructor() {
    super('ROUTER.CONVERSATION_NOT_FOUND', 'no such conversation');
  }
}

/** The customer has no address on the channel the agent chose (→ 404 at the console). */
export class ChannelNotFoundError extends AppError {
  constructor(channel: string) {
    super('ROUTER.CHANNEL_NOT_FOUND', `the customer has no address on ${channel}`);
  }
}

/** The same idempotency key was used for a reply in another conversation (→ 409). */
export class IdempotencyKeyConflictError extends AppError {
  constructor() {
    super(
      'ROUTER.IDEMPOTENCY_KEY_CONFLICT',
      'this idempotency key belongs to a reply in another conversation',
    );
  }
}

/** After card numbers became tokens, the reply no longer fits a message (→ 413). */
export class ReplyTooLargeError extends AppError {
  constructor(max: number) {
    super('ROUTER.REPLY_TOO_LARGE', `a reply holds at most ${max} characters`);
  }
}

/**
 * The customer revoked (or never granted, for marketing) consent to this purpose on this channel
 * (→ 409): nothing is stored or sent.
 */
export class ConsentRevokedError extends AppError {
  constructor(channel: string, purpose: string) {
    super(
      'CONSENT.REVOKED',
      `the customer does not accept ${purpose} messages on ${channel} (consent revoked or not granted): ` +
        'choose another channel, or the customer can send START / opt in from the app',
    );
  }
}
