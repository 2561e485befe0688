import { AppError } from '@omnigate/kit';

/** Wrong credentials or no token: never says which part was wrong. */
export class ConsoleUnauthorizedError extends AppError {
  constructor(message = 'authentication required') {
    super('CONSOLE.UNAUTHORIZED', message);
  }
}

export class TokenInvalidError extends AppError {
  constructor() {
    super('CONSOLE.TOKEN_INVALID', 'the session token is not valid: log in again');
  }
}

export class TokenExpiredError extends AppError {
  constructor() {
    super('CONSOLE.TOKEN_EXPIRED', 'the session has expired: log in again');
  }
}

/** A cookie-authenticated change without the session's `x-csrf-token` header (or a wrong one). */
export class CsrfInvalidError extends AppError {
  constructor() {
    super(
      'CONSOLE.CSRF_INVALID',
      'missing or wrong x-csrf-token header: send the csrfToken of POST /api/login or GET /api/me',
    );
  }
}

/** An agent asked for a conversation outside their queues. */
export class QueueForbiddenError extends AppError {
  constructor(reason: string) {
    super('CONSOLE.QUEUE_FORBIDDEN', reason);
  }

  static outside(queue: string, queues: readonly string[]): QueueForbiddenError {
    return new QueueForbiddenError(
      `this conversation is in the queue ${queue}, which is not one of yours (${queues.join(', ') || 'none'})`,
    );
  }
}

/** OIDC login not configured on this console. */
export class OidcNotConfiguredError extends AppError {
  constructor() {
    super('CONSOLE.OIDC_NOT_FOUND', 'single sign-on is not configured on this console');
  }
}

/** The callback's state, nonce or code did not match the login this browser started. */
export class OidcStateInvalidError extends AppError {
  constructor(reason: string) {
    super(
      'CONSOLE.OIDC_STATE_INVALID',
      `the sign-in could not be completed: ${reason}; start again`,
    );
  }
}

/** The identity provider could not be reached or answered something unusable. */
export class OidcUnavailableError extends AppError {
  constructor(reason: string, cause?: unknown) {
    super('CONSOLE.OIDC_UNAVAILABLE', `the identity provider failed: ${reason}`, {
      cause,
      retryable: true,
    });
  }
}
