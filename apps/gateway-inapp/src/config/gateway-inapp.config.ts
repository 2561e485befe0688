import { z } from 'zod';
import { GatewayEnv, sendLoopEnv } from '@omnigate/gateway-kit';
import { isProduction, productionProblems } from '@omnigate/kit';

const optionalText = z.string().trim().min(1).optional();

/**
 * The in-app gateway's environment: an edge (GatewayEnv: no database, no data key, the vault's
 * public key). The app's login JWT is checked either with a shared HS256 secret or with the
 * identity provider's JWKS (RS256/ES256): exactly one of the two. With NODE_ENV=production the
 * issuer and audience are required (a token the IdP minted for another app or another tenant is
 * refused) and the JWKS is fetched over https only (keys read over http can be swapped in transit).
 */
export const GatewayInappEnv = GatewayEnv.extend({
  INAPP_GATEWAY_PORT: z.coerce.number().int().min(0).max(65535).default(3002),
  INAPP_JWT_SECRET: z
    .string()
    .min(32, 'must be at least 32 characters (256 bits for HS256)')
    .optional(),
  INAPP_JWKS_URL: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).optional(),
  INAPP_JWT_ISSUER: optionalText,
  INAPP_JWT_AUDIENCE: optionalText,
  /** Our address as the customer sees it on this channel (InboundMessage `to.address`). */
  INAPP_OUR_ADDRESS: z.string().trim().min(1).max(320).default('app'),
  /** A customer's "typing start" is forwarded at most once per this many ms. */
  INAPP_TYPING_THROTTLE_MS: z.coerce.number().int().min(0).max(60_000).default(3000),
  /** INAPP_SEND_CONCURRENCY, INAPP_SEND_MAX_ATTEMPTS, INAPP_SEND_BACKOFF_MS (libs/gateway-kit). */
  ...sendLoopEnv('INAPP'),
}).superRefine((env, ctx) => {
  const modes = [env.INAPP_JWT_SECRET, env.INAPP_JWKS_URL].filter((v) => v !== undefined).length;
  if (modes !== 1) {
    ctx.addIssue({
      code: 'custom',
      path: ['INAPP_JWT_SECRET'],
      message: `set exactly one of INAPP_JWT_SECRET (HS256) or INAPP_JWKS_URL (RS256/ES256); ${modes === 0 ? 'neither is set' : 'both are set'}`,
    });
  }
  if (!isProduction(env)) return;
  for (const p of productionProblems(env, { providerUrls: ['INAPP_JWKS_URL'] })) {
    ctx.addIssue({ code: 'custom', path: [p.key], message: p.message });
  }
  for (const [key, what] of [
    ['INAPP_JWT_ISSUER', 'the iss every login token must carry'],
    ['INAPP_JWT_AUDIENCE', 'the aud every login token must carry, this app'],
  ] as const) {
    if (env[key] === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: [key],
        message: `required with NODE_ENV=production (${what})`,
      });
    }
  }
  if (env.INAPP_JWKS_URL !== undefined && !env.INAPP_JWKS_URL.startsWith('https:')) {
    ctx.addIssue({
      code: 'custom',
      path: ['INAPP_JWKS_URL'],
      message: 'must be an https URL with NODE_ENV=production (keys read over http can be swapped)',
    });
  }
});
export type GatewayInappConfig = z.infer<typeof GatewayInappEnv>;

export const INAPP_CONFIG = Symbol('INAPP_CONFIG');

/** How the app's JWT is verified, derived from the config. */
export type JwtKeySource = { kind: 'secret'; secret: string } | { kind: 'jwks'; url: string };

export function jwtKeySourceOf(config: GatewayInappConfig): JwtKeySource {
  if (config.INAPP_JWT_SECRET !== undefined) {
    return { kind: 'secret', secret: config.INAPP_JWT_SECRET };
  }
  if (config.INAPP_JWKS_URL !== undefined) return { kind: 'jwks', url: config.INAPP_JWKS_URL };
  throw new Error('unreachable: the config schema requires a JWT key source');
}
