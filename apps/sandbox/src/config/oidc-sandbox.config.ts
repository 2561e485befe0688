import { z } from 'zod';
import { parseOidcUsers } from './oidc-users.mapper';

/**
 * The OpenID Connect stand-in's keys (spread into SandboxEnv). The defaults are test values,
 * never real ones; the signing key is generated at every start.
 */
export const OidcSandboxEnv = z.object({
  SANDBOX_OIDC_CLIENT_ID: z.string().min(1).default('omnigate-console'),
  SANDBOX_OIDC_CLIENT_SECRET: z.string().min(8).default('sandbox-oidc-client-secret'),
  /** `id:role[:queue|queue]`, comma-separated: who `login_hint` may name; auto-approved. */
  SANDBOX_OIDC_USERS: z
    .string()
    .default('olga:agent:general|fraud,sofia:supervisor,adam:admin,dario:dpo')
    .transform((raw, ctx) =>
      parseOidcUsers(raw, (message) => ctx.addIssue({ code: 'custom', message })),
    ),
  /**
   * Users who sign in with a password only (id_token `amr: ["pwd"]`), comma-separated; everyone
   * else passes a second factor (`amr: ["pwd", "otp"]`, RFC 8176).
   */
  SANDBOX_OIDC_PASSWORD_ONLY: z
    .string()
    .optional()
    .transform((v) =>
      (v ?? '')
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean),
    ),
  /** The issuer the tokens name; default: `http://<Host of the request>/oidc`. */
  SANDBOX_OIDC_ISSUER: z.url({ protocol: /^https?$/ }).optional(),
  /** Allowed redirect_uri values, comma-separated; default: any http(s) URL (a stand-in). */
  SANDBOX_OIDC_REDIRECT_URIS: z
    .string()
    .optional()
    .transform((v) =>
      (v ?? '')
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean),
    ),
});
