import { Inject, Injectable, Logger } from '@nestjs/common';
import type { OnApplicationBootstrap } from '@nestjs/common';
import { KvStore } from '@omnigate/bus';
import type { KvBucket } from '@omnigate/bus';
import type { AssuranceState, Channel } from '@omnigate/contracts';
import { ROUTER_CONFIG } from '../config/router.config';
import type { RouterConfig } from '../config/router.config';
import { effectiveAssurance } from './assurance.mapper';

/** What the router keeps about a customer between messages (assurance and bot state join in issue 5). */
export interface CustomerSession {
  conversationId: string;
  channels: Channel[];
  lastChannel: Channel;
  updatedAt: string;
  /** The highest assurance reached and unexpired (stored under its own key so `touch` never races it). */
  assurance?: AssuranceState;
}

export const SESSIONS_BUCKET = 'sessions';

/**
 * Sessions in NATS KV, shared by every router instance. Expiry is app-side (server 2.9 has no
 * per-key TTL) and the bucket's max age bounds what the server keeps. The database stays the
 * source of truth: a lost or stale session is rebuilt from the next stored message.
 */
@Injectable()
export class SessionService implements OnApplicationBootstrap {
  private readonly logger = new Logger('session');
  // Sessions under `customer.<id>`, assurance states under `assurance.<id>`.
  private bucket: KvBucket<CustomerSession | AssuranceState[]> | null = null;

  constructor(
    private readonly kv: KvStore,
    @Inject(ROUTER_CONFIG) private readonly config: RouterConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    this.bucket = await this.kv.bucket(SESSIONS_BUCKET, this.config.ROUTER_SESSION_TTL_MS);
  }

  async get(customerId: string): Promise<CustomerSession | undefined> {
    const [session, states] = await Promise.all([
      this.bucket?.get(key(customerId)) as Promise<CustomerSession | undefined>,
      this.assuranceStates(customerId),
    ]);
    if (!session) return undefined;
    const assurance = effectiveAssurance(states, Date.now());
    return assurance ? { ...session, assurance } : session;
  }

  /** The assurance states reached (one per level, see AssuranceService); [] when none. */
  async assuranceStates(customerId: string): Promise<AssuranceState[]> {
    return (
      ((await this.bucket?.get(assuranceKey(customerId))) as AssuranceState[] | undefined) ?? []
    );
  }

  /** Replaces the customer's assurance states; kept until the last one expires. */
  async putAssuranceStates(
    customerId: string,
    states: AssuranceState[],
    ttlMs: number,
  ): Promise<void> {
    if (states.length === 0 || ttlMs <= 0) {
      await this.bucket?.delete(assuranceKey(customerId));
      return;
    }
    await this.bucket?.put(assuranceKey(customerId), states, ttlMs);
  }

  /** Forgets the customer's session and assurance (her erasure): the bucket keeps one value per key. */
  async forget(customerId: string): Promise<void> {
    await this.bucket?.delete(key(customerId));
    await this.bucket?.delete(assuranceKey(customerId));
  }

  /** Records the conversation and channel a customer just used. Never fails the caller. */
  async touch(customerId: string, session: Omit<CustomerSession, 'updatedAt'>): Promise<void> {
    try {
      await this.bucket?.put(
        key(customerId),
        { ...session, updatedAt: new Date().toISOString() },
        this.config.ROUTER_SESSION_TTL_MS,
      );
    } catch (e) {
      this.logger.warn({
        msg: 'session not updated',
        code: (e as { code?: string }).code ?? 'KV.FAILED',
      });
    }
  }
}

function key(customerId: string): string {
  return `customer.${customerId}`;
}

function assuranceKey(customerId: string): string {
  return `assurance.${customerId}`;
}
