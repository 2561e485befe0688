import { AppError } from '@omnigate/kit';

/** The app user the JWT names is not a customer of the bank (→ 404). */
export class AppUserNotFoundError extends AppError {
  constructor() {
    super('IDENTITY.APP_USER_NOT_FOUND', 'this app user is not a customer of the bank');
  }
}

/** No such identity for that customer (→ 404). */
export class IdentityNotFoundError extends AppError {
  constructor() {
    super('IDENTITY.NOT_FOUND', 'the customer has no such channel identity');
  }
}
