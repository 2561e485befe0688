import { z } from 'zod';

const httpUrl = z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' });

/**
 * Login through an OpenID Connect provider (authorization code + PKCE). Every key but the claim
 * names is required once CONSOLE_OIDC_ISSUER is set, and ignored without it.
 */
export const ConsoleOidcEnv = z.object({
  /** The issuer URL; its /.well-known/openid-configuration is read at the first login. */
  CONSOLE_OIDC_ISSUER: httpUrl.optional(),
  CONSOLE_OIDC_CLIENT_ID: z.string().min(1).max(256).optional(),
  CONSOLE_OIDC_CLIENT_SECRET: z.string().min(8, 'must be at least 8 characters').optional(),
  /** This console's `/api/auth/oidc/callback`, exactly as registered at the provider. */
  CONSOLE_OIDC_REDIRECT_URL: httpUrl.optional(),
  /** The id_token claim with the role (agent | supervisor | admin | dpo). */
  CONSOLE_OIDC_ROLE_CLAIM: z.string().min(1).max(128).default('omnigate_role'),
  /** The id_token claim with the queues (array, or a string separated by spaces or commas). */
  CONSOLE_OIDC_QUEUES_CLAIM: z.string().min(1).max(128).default('omnigate_queues'),
  /**
   * Supervisor, admin and dpo sign-ins must show a second factor in the id_token's `amr` (RFC
   * 8176: mfa, otp, hwk, swk, sc, mca). `false` only for a provider that enforces it without saying.
   */
  CONSOLE_OIDC_REQUIRE_MFA: z
    .string()
    .optional()
    .transform((v) => v === undefined || !['false', '0', 'no', 'off'].includes(v.toLowerCase())),
});

type OidcKeys = z.infer<typeof ConsoleOidcEnv>;

/** With an issuer, the client id, secret and redirect URL are required too. */
export function checkOidcKeys(env: OidcKeys, at: (path: string, message: string) => void): void {
  if (!env.CONSOLE_OIDC_ISSUER) return;
  const required = [
    'CONSOLE_OIDC_CLIENT_ID',
    'CONSOLE_OIDC_CLIENT_SECRET',
    'CONSOLE_OIDC_REDIRECT_URL',
  ] as const;
  for (const key of required) {
    if (!env[key]) at(key, 'required when CONSOLE_OIDC_ISSUER is set');
  }
}

/** The OIDC settings once checked: present only when an issuer is configured. */
export interface OidcSettings {
  issuer: string;
  clientId: string;
  clientSecret: string;
  redirectUrl: string;
  roleClaim: string;
  queuesClaim: string;
  requireMfa: boolean;
}

export function oidcSettings(env: OidcKeys): OidcSettings | null {
  const { CONSOLE_OIDC_ISSUER: issuer, CONSOLE_OIDC_CLIENT_ID: clientId } = env;
  const { CONSOLE_OIDC_CLIENT_SECRET: clientSecret, CONSOLE_OIDC_REDIRECT_URL: redirectUrl } = env;
  if (!issuer || !clientId || !clientSecret || !redirectUrl) return null;
  return {
    issuer,
    clientId,
    clientSecret,
    redirectUrl,
    roleClaim: env.CONSOLE_OIDC_ROLE_CLAIM,
    queuesClaim: env.CONSOLE_OIDC_QUEUES_CLAIM,
    requireMfa: env.CONSOLE_OIDC_REQUIRE_MFA,
  };
}
