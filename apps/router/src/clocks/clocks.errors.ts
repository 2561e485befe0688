import { AppError } from '@omnigate/kit';

/** A card dispute's scheme fields that no deadline can be computed from, e.g. a future date (→ 400). */
export class SchemeDisputeInvalidError extends AppError {
  constructor(why: string) {
    super('ACTION.SCHEME_DISPUTE_INVALID', why);
  }
}
