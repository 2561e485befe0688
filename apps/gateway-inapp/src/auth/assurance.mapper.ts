import type { AssuranceLevel } from '@omnigate/contracts';

/** RFC 8176 `amr` values that mean the login used a strong factor (biometrics, hardware key, MFA). */
const STRONG_AMR = new Set(['face', 'fpt', 'hwk', 'mfa']);

/**
 * `acr` values we read as strong customer authentication: generic names, NIST AAL2/3, OpenID
 * EAP phishing-resistant levels (https://openid.net/specs/openid-connect-eap-acr-values-1_0.html)
 * and the PAPE multi-factor policy URI. Anything else is treated as an ordinary app session.
 */
const STRONG_ACR = new Set([
  'mfa',
  'sca',
  'strong',
  'aal2',
  'aal3',
  'phr',
  'phrh',
  'http://schemas.openid.net/pape/policies/2007/06/multi-factor',
  'http://schemas.openid.net/pape/policies/2007/06/multi-factor-physical',
]);

/** The assurance an app login proves, from its `amr` and `acr` claims. Pure. */
export function assuranceFromClaims(claims: { amr?: unknown; acr?: unknown }): AssuranceLevel {
  const amr = Array.isArray(claims.amr) ? claims.amr : [];
  if (amr.some((v) => typeof v === 'string' && STRONG_AMR.has(v.toLowerCase()))) return 'strong';
  if (typeof claims.acr === 'string' && STRONG_ACR.has(claims.acr.trim().toLowerCase())) {
    return 'strong';
  }
  return 'app_session';
}
