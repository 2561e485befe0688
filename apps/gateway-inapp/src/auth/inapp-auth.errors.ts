import { AppError } from '@omnigate/kit';

/** No token in the handshake's `auth.token`. */
export class InappUnauthorizedError extends AppError {
  constructor(message = 'a login token is required in the handshake auth.token') {
    super('INAPP.UNAUTHORIZED', message);
  }
}

/** Bad signature, wrong algorithm, issuer or audience, malformed token or claims. */
export class InappTokenInvalidError extends AppError {
  constructor(message: string, cause?: unknown) {
    super('INAPP.TOKEN_INVALID', message, { cause });
  }
}

export class InappTokenExpiredError extends AppError {
  constructor(cause?: unknown) {
    super('INAPP.TOKEN_EXPIRED', 'the login token has expired: reconnect with a fresh one', {
      cause,
    });
  }
}

/** The identity provider's JWKS could not be fetched: not the client's fault, it may retry. */
export class InappAuthUnavailableError extends AppError {
  constructor(cause?: unknown) {
    super('INAPP.AUTH_UNAVAILABLE', 'the token cannot be checked right now: retry shortly', {
      cause,
      retryable: true,
    });
  }
}
