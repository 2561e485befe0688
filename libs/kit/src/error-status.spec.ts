import { httpStatusForCode } from './error-status';

describe('httpStatusForCode', () => {
  it.each([
    ['REQUEST.INVALID', 400],
    ['BUS.PAYLOAD_INVALID', 400],
    ['REQUEST.MALFORMED', 400],
    ['APP.UNAUTHORIZED', 401],
    ['INAPP.TOKEN_EXPIRED', 401],
    ['INAPP.TOKEN_INVALID', 401],
    ['SMS.SIGNATURE_INVALID', 403],
    ['SMS.SIGNATURE_MISSING', 403],
    ['ROUTER.OPTED_OUT', 403],
    ['ROUTER.RECIPIENT_OPTED_OUT', 403],
    ['ACTION.FRAUD_UNBLOCK_NEEDS_APPROVAL', 403],
    ['ACTION.SAME_PERSON', 403],
    ['X.NOT_FOUND', 404],
    ['ROUTER.CHANNEL_NOT_FOUND', 404],
    ['ROUTER.CONVERSATION_NOT_FOUND', 404],
    ['ROUTER.IDEMPOTENCY_CONFLICT', 409],
    ['CONSENT.REVOKED', 409],
    ['SMS.BODY_TOO_LARGE', 413],
    ['STEP_UP.EXPIRED', 410],
    ['STEP_UP.WEAK_LOGIN_FORBIDDEN', 403],
    ['BUS.UNAVAILABLE', 503],
    ['CORE_BANKING.UNAVAILABLE', 503],
    ['CORE_BANKING.CIRCUIT_OPEN', 503],
    ['RPC.TIMEOUT', 503],
    ['HANDLER.FAILED', 500],
    ['INTERNAL', 500],
    ['X.NOTFOUND', 500],
  ])('%s → %i', (code, status) => {
    expect(httpStatusForCode(code)).toBe(status);
  });
});
