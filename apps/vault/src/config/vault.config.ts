import { z } from 'zod';
import { HpkeOpener } from '@omnigate/crypto';
import { CommonEnv, refuseSandboxInProduction } from '@omnigate/kit';

/**
 * The vault's environment: NATS, its database, its own keys and nothing else. The data keys of
 * the router (DATA_KEKS, DATA_INDEX_KEY) are not part of it: the vault's tables are protected by
 * the vault's own HPKE keys, and a key the vault does not read cannot leak from it.
 */
/** The vault's keys, unrefined (a CLI picks some of them). */
export const VaultEnvKeys = CommonEnv.omit({ DATA_KEKS: true, DATA_INDEX_KEY: true }).extend({
  /** HTTP port: /health only (/metrics is on MANAGEMENT_PORT). */
  VAULT_PORT: z.coerce.number().int().min(0).max(65535).default(3007),
  /**
   * The vault's HPKE private keys, `<kid>:<base64url 32 bytes>,...`: the first is current (new
   * boxes at rest are sealed to it; gateways hold its public half), older ones still open boxes
   * sealed before a rotation (README: "Card vault: key rotation").
   */
  VAULT_PRIVATE_KEYS: z.string().superRefine((v, ctx) => {
    try {
      HpkeOpener.fromConfig(v, 'VAULT_PRIVATE_KEYS');
    } catch (e) {
      ctx.addIssue({ code: 'custom', message: (e as Error).message });
    }
  }),
  /**
   * The key of the vault's card tokens (HMAC-SHA256 of the number): one stable token per card.
   * Never changes (a new key would give the same card a new token) and never leaves the vault.
   */
  VAULT_TOKEN_KEY: z.string().min(32, 'must be at least 32 characters (random)'),
  /** Sealed cards handled at once. */
  VAULT_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(4),
  /**
   * Card references first seen longer ago than this are forgotten, and a card no reference names
   * any more is deleted with its sealed number. Default: the router's longest message retention
   * (RETENTION_TICKETED_CONVERSATION_DAYS, 10 years of AML record keeping), so a kept message can
   * still have its card revealed; never shorter than the router keeps the messages naming them.
   */
  VAULT_RETENTION_DAYS: z.coerce.number().int().min(1).max(36_500).default(3650),
  /** How often the vault's retention purge runs, ms; 0 turns it off. */
  VAULT_RETENTION_INTERVAL_MS: z.coerce
    .number()
    .int()
    .min(0)
    .default(6 * 3_600_000),
});

export const VaultEnv = VaultEnvKeys.superRefine(refuseSandboxInProduction({ database: true }), {
  when: () => true,
});
export type VaultConfig = z.infer<typeof VaultEnv>;

export const VAULT_CONFIG = Symbol('VAULT_CONFIG');
