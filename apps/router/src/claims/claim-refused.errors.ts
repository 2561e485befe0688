import { PermanentError } from '@omnigate/bus';
import { counter } from '@omnigate/kit';
import type { ClaimRefusal } from './subject-claims.mapper';

const refused = counter(
  'omnigate_router_refused_claims_total',
  'Inbound messages and statuses refused because their subject cannot carry what they claim',
  ['plane', 'code'],
);

/** Permanent: the consumer dead-letters it with the code and the reason (no personal data in it). */
export class ClaimRefusedError extends PermanentError {
  constructor(refusal: ClaimRefusal) {
    super(refusal.code, refusal.reason);
  }
}

/** Counts the refusal and throws it. */
export function refuseClaim(plane: 'inbound' | 'status', refusal: ClaimRefusal): never {
  refused.inc({ plane, code: refusal.code });
  throw new ClaimRefusedError(refusal);
}
