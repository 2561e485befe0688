import { AppError } from '@omnigate/kit';

/**
 * Core banking did not answer in time, answered 5xx, or answered something we cannot read.
 * Transient: a consumer holds the message until core banking is back, never dead-letters it.
 */
export class CoreBankingUnavailableError extends AppError {
  constructor(message: string, cause?: unknown, code = 'CORE_BANKING.UNAVAILABLE') {
    super(code, message, { cause, transient: true });
  }
}

/**
 * The circuit breaker is open: core banking failed too often just now, so the call was not
 * even tried. An UNAVAILABLE for every caller that only checks `instanceof`.
 */
export class CoreBankingCircuitOpenError extends CoreBankingUnavailableError {
  constructor(retryInMs: number) {
    super(
      `core banking is failing: calls paused for ${Math.max(0, Math.ceil(retryInMs))} ms`,
      undefined,
      'CORE_BANKING.CIRCUIT_OPEN',
    );
  }
}

/** The customer has no card with this id, or the bank knows no such customer (404). */
export class CoreCardNotFoundError extends AppError {
  constructor() {
    super('CORE_BANKING.CARD_NOT_FOUND', 'core banking knows no such card for this customer');
  }
}
