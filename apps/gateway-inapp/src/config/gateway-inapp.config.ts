import { z } from 'zod';
import { HpkeSealer } from '@omnigate/crypto';
import { CommonEnv } from '@omnigate/kit';

const optionalText = z.string().trim().min(1).optional();

/**
 * The in-app gateway's environment. The app's login JWT is checked either with a shared HS256
 * secret or with the identity provider's JWKS (RS256/ES256): exactly one of the two.
 */
/** An edge holds no database and no data key: the common keys that would open one are not read. */
const EdgeEnv = CommonEnv.omit({
  DATABASE_URL: true,
  DATA_DIR: true,
  DATA_KEKS: true,
  DATA_INDEX_KEY: true,
});

export const GatewayInappEnv = EdgeEnv.extend({
  INAPP_GATEWAY_PORT: z.coerce.number().int().min(0).max(65535).default(3002),
  /** Card numbers are sealed to the vault with this key (HPKE); only the vault can open them. */
  VAULT_PUBLIC_KEY: z.string().superRefine((v, ctx) => {
    try {
      HpkeSealer.fromConfig(v, 'VAULT_PUBLIC_KEY');
    } catch (e) {
      ctx.addIssue({ code: 'custom', message: (e as Error).message });
    }
  }),
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
}).superRefine((env, ctx) => {
  const modes = [env.INAPP_JWT_SECRET, env.INAPP_JWKS_URL].filter((v) => v !== undefined).length;
  if (modes !== 1) {
    ctx.addIssue({
      code: 'custom',
      path: ['INAPP_JWT_SECRET'],
      message: `set exactly one of INAPP_JWT_SECRET (HS256) or INAPP_JWKS_URL (RS256/ES256); ${modes === 0 ? 'neither is set' : 'both are set'}`,
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
