/**
 * The HTTP status for an error code, by its suffix. One table for every app's edge.
 * The suffix is the last word after a '.' or '_' ('ROUTER.CHANNEL_NOT_FOUND' → 404); specific
 * compound suffixes come first so 'SMS.SIGNATURE_INVALID' is a 403, not a generic 400.
 */
const BY_SUFFIX: Array<[RegExp, number]> = [
  [
    /[._](UNAUTHORIZED|TOKEN_INVALID|TOKEN_EXPIRED|SESSION_REVOKED|TOTP_REQUIRED|TOTP_INVALID)$/,
    401,
  ],
  [/[._](LOCKED|RATE_LIMITED)$/, 429],
  [
    /[._](SIGNATURE_INVALID|SIGNATURE_MISSING|CSRF_INVALID|FORBIDDEN|OPTED_OUT|NEEDS_APPROVAL|SAME_PERSON)$/,
    403,
  ],
  [/[._](INVALID|MALFORMED|VALIDATION_FAILED|UNSUPPORTED)$/, 400],
  [/[._]NOT_FOUND$/, 404],
  [/[._](CONFLICT|REVOKED)$/, 409],
  [/[._]TOO_LARGE$/, 413],
  [/[._]EXPIRED$/, 410],
  [/[._](UNAVAILABLE|TIMEOUT|CIRCUIT_OPEN)$/, 503],
  // NATS refused a service's own user (BUS.PERMISSION_DENIED): the caller may do it, the
  // deployment does not let the service; an operator fixes the grants, the message says which.
  [/[._]PERMISSION_DENIED$/, 503],
];

export function httpStatusForCode(code: string): number {
  for (const [re, status] of BY_SUFFIX) if (re.test(code)) return status;
  return 500;
}
