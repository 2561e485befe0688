import { AppError } from '@omnigate/kit';

/** No such step-up request for this app user (also when it belongs to someone else: no disclosure). */
export class StepUpNotFoundError extends AppError {
  constructor() {
    super('STEP_UP.NOT_FOUND', 'no such step-up request for this user');
  }
}

/** Already approved, rejected or expired (→ 409). */
export class StepUpAlreadyDecidedConflict extends AppError {
  constructor(status: string) {
    super('STEP_UP.CONFLICT', `this step-up request is already ${status}`);
  }
}

/** The request's time ran out (→ 410): the agent or bot asks again. */
export class StepUpExpiredError extends AppError {
  constructor() {
    super('STEP_UP.EXPIRED', 'this step-up request has expired: ask for a new one');
  }
}

/** Approving needs a biometric / SCA login, not an ordinary app session (→ 403). */
export class StepUpWeakLoginError extends AppError {
  constructor() {
    super(
      'STEP_UP.WEAK_LOGIN_FORBIDDEN',
      'approving needs a strong login (face, fingerprint or SCA): authenticate again in the app',
    );
  }
}

/** The strong login is too old to approve with (→ 403). */
export class StepUpStaleLoginError extends AppError {
  constructor(maxAgeMs: number) {
    super(
      'STEP_UP.STALE_LOGIN_FORBIDDEN',
      `approving needs a strong login of the last ${Math.round(maxAgeMs / 1000)} seconds: authenticate again in the app`,
    );
  }
}

/** An approval without the request's nonce, or with another one (→ 400): answer the request shown. */
export class StepUpNonceInvalidError extends AppError {
  constructor() {
    super(
      'STEP_UP.NONCE_INVALID',
      'this approval does not carry the nonce of the request shown in the app: answer that request',
    );
  }
}
