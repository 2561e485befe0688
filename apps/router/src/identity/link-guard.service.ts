import { createHmac } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { OnApplicationBootstrap } from '@nestjs/common';
import { KvStore } from '@omnigate/bus';
import type { KvBucket } from '@omnigate/bus';
import { ROUTER_CONFIG } from '../config/router.config';
import type { RouterConfig } from '../config/router.config';
import { SESSIONS_BUCKET } from '../session/session.service';
import { recentAttempts } from './link-code.mapper';
import { CODE_HASH_KEY } from './link-code.service';

type GuardKind = 'fail' | 'otp';

/**
 * Brute-force guard per channel address, shared by router instances (NATS KV): wrong codes
 * (LINK / OTP) and OTP requests are counted in a sliding window. Keys are keyed hashes, so the
 * bucket holds no phone number or email.
 */
@Injectable()
export class LinkGuardService implements OnApplicationBootstrap {
  private bucket: KvBucket<number[]> | null = null;

  constructor(
    private readonly kv: KvStore,
    @Inject(ROUTER_CONFIG) private readonly config: RouterConfig,
    @Inject(CODE_HASH_KEY) private readonly hashKey: string,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    this.bucket = await this.kv.bucket<number[]>(
      SESSIONS_BUCKET,
      this.config.ROUTER_SESSION_TTL_MS,
    );
  }

  /** True once the address typed too many wrong codes within the window. */
  async locked(channel: string, address: string, now = Date.now()): Promise<boolean> {
    const times = await this.read('fail', channel, address, now);
    return times.length >= this.config.LINK_GUARD_MAX_FAILURES;
  }

  async recordFailure(channel: string, address: string, now = Date.now()): Promise<void> {
    await this.append('fail', channel, address, now);
  }

  /** Counts an OTP request; false (nothing counted) when the address asked too often. */
  async allowOtpRequest(channel: string, address: string, now = Date.now()): Promise<boolean> {
    const times = await this.read('otp', channel, address, now);
    if (times.length >= this.config.OTP_MAX_REQUESTS) return false;
    await this.append('otp', channel, address, now);
    return true;
  }

  private async read(kind: GuardKind, channel: string, address: string, now: number) {
    const times = (await this.bucket?.get(this.key(kind, channel, address))) ?? [];
    return recentAttempts(times, now, this.config.LINK_GUARD_WINDOW_MS);
  }

  private async append(kind: GuardKind, channel: string, address: string, now: number) {
    const times = [...(await this.read(kind, channel, address, now)), now];
    await this.bucket?.put(
      this.key(kind, channel, address),
      times,
      this.config.LINK_GUARD_WINDOW_MS,
    );
  }

  private key(kind: GuardKind, channel: string, address: string): string {
    const h = createHmac('sha256', this.hashKey).update(`${channel}:${address}`).digest('hex');
    return `guard.${kind}.${h.slice(0, 40)}`;
  }
}
