import { AppError } from '@omnigate/kit';

/** The role may not see card numbers (only supervisor and admin may). 403 at the console. */
export class VaultRoleForbiddenError extends AppError {
  constructor(role: string) {
    super('VAULT.ROLE_FORBIDDEN', `the role ${role} may not reveal a card number`);
  }
}

/** No sealed card has reached the vault under this reference (yet). 404 at the console. */
export class VaultNotFoundError extends AppError {
  constructor() {
    super('VAULT.NOT_FOUND', 'the vault holds no card under this reference');
  }
}

/** The reveal could not be audited, so nothing is revealed; the caller may try again. */
export class VaultAuditUnavailableError extends AppError {
  constructor(cause: unknown) {
    super('VAULT.AUDIT_UNAVAILABLE', 'the reveal could not be audited; nothing was revealed', {
      cause,
      retryable: true,
    });
  }
}

/**
 * A stored card is sealed to a key this vault was started without: a private key was removed from
 * VAULT_PRIVATE_KEYS before `npm run vault:rotate` moved every card off it. An operator's mistake:
 * put the key back (after the current one) and run the rotation.
 */
export class VaultKeyMissingError extends AppError {
  constructor(keyId: string) {
    super(
      'VAULT.KEY_MISSING',
      `the card is sealed to key ${keyId}, which this vault does not hold: put it back in VAULT_PRIVATE_KEYS and run vault:rotate`,
    );
  }
}

/** Why a sealed card can never be kept: each code is a dead-letter reason. */
export type SealedCardRefusal =
  | 'VAULT.CHANNEL_MISMATCH'
  | 'VAULT.UNKNOWN_KEY'
  | 'VAULT.BOX_UNOPENABLE'
  | 'VAULT.CARD_INVALID'
  | 'VAULT.REF_CONFLICT';

/**
 * A sealed card that will never be kept, whatever the number of retries: the consumer terms it
 * and dead-letters it with this code and message (never the number or the box's content).
 */
export class SealedCardRefusedError extends AppError {
  constructor(
    override readonly code: SealedCardRefusal,
    message: string,
    cause?: unknown,
  ) {
    super(code, message, { cause, retryable: false });
  }
}
