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

/** The session was ended on the server (logout, a role change, an admin): log in again. */
export class SessionRevokedError extends AppError {
  constructor() {
    super(
      'CONSOLE.SESSION_REVOKED',
      'this session was ended (logout, role change or an admin): log in again',
    );
  }
}

/** Too many failed logins for this account or from this address: 429 with Retry-After. */
export class LoginLockedError extends AppError {
  constructor(scope: 'account' | 'address', retryAfterSec: number) {
    const what = scope === 'account' ? 'for this account' : 'from this address';
    const min = Math.max(1, Math.ceil(retryAfterSec / 60));
    super(
      'CONSOLE.LOGIN_LOCKED',
      `too many failed logins ${what}: try again in ${min} minute${min === 1 ? '' : 's'}`,
      { retryAfterSec },
    );
  }
}

/** More password checks at once than the console allows (each holds argon2's memory). */
export class LoginBusyError extends AppError {
  constructor() {
    super('CONSOLE.LOGIN_UNAVAILABLE', 'too many logins at once: try again in a moment', {
      retryable: true,
      retryAfterSec: 1,
    });
  }
}

/** This role needs a second factor: the code is missing, or none is enrolled. */
export class TotpRequiredError extends AppError {
  constructor(enrolled: boolean) {
    super(
      'CONSOLE.TOTP_REQUIRED',
      enrolled
        ? 'this role needs the 6-digit code of your authenticator app (field totp)'
        : 'this role needs a second factor and none is enrolled: ask an admin to enrol you (npm run console:account -- totp <id>)',
    );
  }
}

/** The authenticator code is wrong, too old, or was already used. */
export class TotpInvalidError extends AppError {
  constructor() {
    super('CONSOLE.TOTP_INVALID', 'the authenticator code is wrong or was already used');
  }
}

export class AgentIdInvalidError extends AppError {
  constructor() {
    super(
      'CONSOLE.AGENT_ID_INVALID',
      'not an agent id (a local id, or oidc:<hash> of single sign-on)',
    );
  }
}
