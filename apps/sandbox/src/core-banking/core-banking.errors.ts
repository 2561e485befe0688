import { AppError } from '@omnigate/kit';

/** Missing or wrong bearer API key (401). */
export class CoreBankingUnauthorizedError extends AppError {
  constructor() {
    super('CORE_BANKING.UNAUTHORIZED', 'a valid bearer API key is required');
  }
}

/** No such customer (404). */
export class CoreCustomerNotFoundError extends AppError {
  constructor() {
    super('CORE_BANKING.CUSTOMER_NOT_FOUND', 'no customer matches');
  }
}

/** A query or body the API cannot accept (400). */
export class CoreBankingRequestInvalidError extends AppError {
  constructor(reason: string) {
    super('CORE_BANKING.REQUEST_INVALID', reason);
  }
}

/** The stand-in was told to be down (503), so callers can test their fallback. */
export class CoreBankingDownError extends AppError {
  constructor() {
    super('CORE_BANKING.UNAVAILABLE', 'core banking is temporarily unavailable', {
      retryable: true,
    });
  }
}

/** The customer has no card with this id (404). */
export class CoreCardNotFoundError extends AppError {
  constructor() {
    super('CORE_BANKING.CARD_NOT_FOUND', 'the customer has no card with this id');
  }
}
