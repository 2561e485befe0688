import { AppError } from '@omnigate/kit';
import type { SignatureRefusal } from './core-event-signature.mapper';

const EXPLAINED: Record<SignatureRefusal, string> = {
  not_configured: 'core events are not accepted: CORE_BANKING_EVENTS_SECRET is not set',
  missing: 'the X-Core-Signature header is missing',
  malformed: 'X-Core-Signature must be t=<unix seconds>,v1=<64 hex digits>',
  mismatch: 'X-Core-Signature does not match the body',
  stale: 'the X-Core-Signature timestamp is more than 5 minutes from now (replay refused)',
};

/** A core event whose signature could not be trusted (401); the reason leads the message. */
export class CoreEventUnauthorizedError extends AppError {
  constructor(readonly reason: SignatureRefusal) {
    super('CORE_EVENTS.UNAUTHORIZED', `${reason}: ${EXPLAINED[reason]}`);
  }
}
