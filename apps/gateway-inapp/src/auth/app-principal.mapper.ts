import type { AssuranceLevel, InboundMessageV1 } from '@omnigate/contracts';
import { assuranceFromClaims } from './assurance.mapper';
import { InappTokenInvalidError } from './inapp-auth.errors';

/** Who is on a socket: the app user proven by the login JWT. */
export interface AppPrincipal {
  /** The app user id (JWT `sub`): the customer's address on the in-app channel. */
  sub: string;
  level: AssuranceLevel;
  /**
   * ISO time of the login (`auth_time`), when the token says. Never `iat`: a token refreshed a
   * minute ago for a login of last week has a fresh `iat` and an old login.
   */
  authenticatedAt?: string;
  /** ISO time the token expires (`exp`). */
  expiresAt: string;
  expiresAtMs: number;
}

/** Long enough for any IdP's user id, short enough that `${sub}:${clientMsgId}` fits a providerMessageId. */
export const MAX_SUB_LENGTH = 128;
// No control characters: the sub ends up in a NATS header (Nats-Msg-Id) and a subject token.
const SUB_PATTERN = new RegExp(`^[^\\u0000-\\u001f\\u007f]{1,${MAX_SUB_LENGTH}}$`);

/** Verified JWT claims → principal. Pure; refuses claims we cannot use. */
export function principalFromClaims(claims: Record<string, unknown>): AppPrincipal {
  const { sub, exp } = claims;
  if (typeof sub !== 'string' || !SUB_PATTERN.test(sub)) {
    throw new InappTokenInvalidError(
      `the token's sub must be 1-${MAX_SUB_LENGTH} printable characters`,
    );
  }
  if (typeof exp !== 'number' || !Number.isFinite(exp)) {
    throw new InappTokenInvalidError('the token has no numeric exp');
  }
  const loginAt = secondsToIso(claims.auth_time);
  // A strong factor counts only with the time it was used: without auth_time the token proves an
  // app session, not a recent biometric login (the router would otherwise date it now).
  const claimed = assuranceFromClaims(claims);
  return {
    sub,
    level: claimed === 'strong' && !loginAt ? 'app_session' : claimed,
    ...(loginAt ? { authenticatedAt: loginAt } : {}),
    expiresAt: new Date(exp * 1000).toISOString(),
    expiresAtMs: exp * 1000,
  };
}

/** What the bus message says about the sender. */
export function inboundAuthOf(p: AppPrincipal): InboundMessageV1['auth'] {
  return {
    method: 'app_jwt',
    level: p.level,
    subject: p.sub,
    ...(p.authenticatedAt ? { authenticatedAt: p.authenticatedAt } : {}),
    expiresAt: p.expiresAt,
  };
}

function secondsToIso(v: unknown): string | undefined {
  if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0) return undefined;
  return new Date(v * 1000).toISOString();
}
