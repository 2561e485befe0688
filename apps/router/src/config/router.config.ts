import { z } from 'zod';
import { HpkeOpener } from '@omnigate/crypto';
import { CommonEnv, refuseSandboxInProduction } from '@omnigate/kit';
import { RetentionEnv } from './retention.config';
import { IdentityEnv } from './identity.config';
import { ClocksEnv } from './clocks.config';

const int = (min: number) => z.coerce.number().int().min(min);

/** Comma-separated delays in ms, e.g. "500,2000,5000". */
const msList = z
  .string()
  .regex(/^\d+(,\d+)*$/, 'must be comma-separated milliseconds, e.g. 500,2000')
  .transform((s) => s.split(',').map(Number));

export const RouterEnv = CommonEnv.extend({
  ROUTER_PORT: int(0).max(65_535).default(3003),
  /** Base URL of the bank's core-banking API (the sandbox's stand-in by default). */
  CORE_BANKING_URL: z.url().default('http://127.0.0.1:3100/core/v1'),
  CORE_BANKING_API_KEY: z.string().min(8).default('sandbox-core-key'),
  /** Per-request deadline; past it core banking counts as unavailable. */
  CORE_BANKING_TIMEOUT_MS: int(1).default(800),
  /** How long cards, transactions and customer records are reused; 0 turns the cache off. */
  CONTEXT_CACHE_TTL_MS: int(0).default(30_000),
  /** Consecutive core-banking failures (timeouts, 5xx) that open the circuit breaker. */
  CORE_BANKING_BREAKER_FAILURES: int(1).default(5),
  /** How long the open breaker fails calls fast before letting one trial call through. */
  CORE_BANKING_BREAKER_COOLDOWN_MS: int(100).default(10_000),
  /**
   * Key of the X-Core-Signature HMAC on core events POSTed to /core-banking/events (the bank's,
   * or the sandbox's SANDBOX_CORE_EVENTS_SECRET). Unset: every event is refused (401).
   */
  CORE_BANKING_EVENTS_SECRET: z.string().min(16).optional(),
  /** Inbound messages handled in parallel (one address's messages stay in order). */
  ROUTER_CONCURRENCY: int(1).max(256).default(8),
  /**
   * Deliveries of an inbound message before it is dead-lettered (identity falls back earlier).
   * Waiting out a dependency that is down (database, core banking) never counts: it never dead-letters.
   */
  ROUTER_INBOUND_MAX_DELIVER: int(2).max(50).default(5),
  /**
   * Delays after the n-th failure of an inbound message: before its redelivery (a retryable
   * error), or before the next try while a dependency is down (the last delay is then the cap).
   */
  ROUTER_INBOUND_BACKOFF_MS: msList.default([500, 2000, 5000, 15_000]),
  /** How long a delivered message may stay unacknowledged before JetStream redelivers it (after a crash). */
  ROUTER_ACK_WAIT_MS: int(500).default(30_000),
  /**
   * Term of a router instance's lease on an inbound partition: renewed every sixth of it; an
   * instance killed without a word loses its partitions to the others about one term later.
   */
  ROUTER_PARTITION_LEASE_MS: int(600).max(300_000).default(10_000),
  /**
   * How long a router instance believes the identity of an address (and a customer's links)
   * without reading it again; changes reach every instance at once over NATS, this is the
   * backstop. 0 turns the cache off.
   */
  ROUTER_IDENTITY_CACHE_TTL_MS: int(0).max(300_000).default(15_000),
  /** How long a customer's session (current conversation, channels used) lives in NATS KV. */
  ROUTER_SESSION_TTL_MS: int(1000).default(86_400_000),
  /**
   * Keys the card tokens put in agents' replies (the gateways' key, so tokens join up). Without
   * it, replies are still redacted with a key of this process only.
   */
  PAN_TOKEN_KEY: z.string().min(16).optional(),
  /**
   * HPKE private keys (`<kid>:<base64url>,<older kid>:…`, current first) that open what the email
   * gateway sealed to ROUTER_INTAKE_PUBLIC_KEY (attachments, quarantined mail). Unset: a mail with
   * attachments is dead-lettered with ROUTER.INTAKE_KEY_MISSING (redrive it once the key is set).
   */
  ROUTER_INTAKE_PRIVATE_KEYS: z
    .string()
    .superRefine((v, ctx) => {
      try {
        HpkeOpener.fromConfig(v, 'ROUTER_INTAKE_PRIVATE_KEYS');
      } catch (e) {
        ctx.addIssue({ code: 'custom', message: (e as Error).message });
      }
    })
    .optional(),
  /** A fraud or card message this long after an open fraud alert of the customer is linked to it. */
  FRAUD_CORRELATION_WINDOW_MS: int(1000).default(30 * 60_000),
  /** Off: no bot answers; every routed conversation waits in its queue for an agent. */
  ROUTER_BOT_ENABLED: z
    .enum(['true', 'false'])
    .default('true')
    .transform((v) => v === 'true'),
  /** Time zone of the times the bot names ("blocked at 10:32"). */
  BOT_TIME_ZONE: z.string().min(1).default('Europe/Rome'),
  ...RetentionEnv,
  ...IdentityEnv,
  ...ClocksEnv,
}).superRefine(
  // The core-banking defaults are the sandbox's (its URL on loopback, its key).
  refuseSandboxInProduction({ database: true, providerUrls: ['CORE_BANKING_URL'] }),
  { when: () => true },
);
export type RouterConfig = z.infer<typeof RouterEnv>;

export const ROUTER_CONFIG = Symbol('ROUTER_CONFIG');
