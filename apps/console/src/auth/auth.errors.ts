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
