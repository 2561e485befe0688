import { createHmac } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { OnApplicationBootstrap } from '@nestjs/common';
import { KvStore } from '@omnigate/bus';
import type { KvBucket } from '@omnigate/bus';
import { ROUTER_CONFIG } from '../config/router.config';
import type { RouterConfig } from '../config/router.config';
import { SESSIONS_BUCKET } from '../session/session.service';
import { CODE_HASH_KEY } from './link-code.service';
import { admitOtp, releaseOtp } from './otp-limit.rule';
import type { OtpAdmission, OtpWindow } from './otp-limit.rule';

/** What an OTP is limited by, besides the requesting address (LinkGuardService). */
export type OtpLimitKey =
  | { kind: 'target'; target: { type: 'phone'; e164: string } | { type: 'email'; email: string } }
  | { kind: 'customer'; coreRef: string };

/** Compare-and-set rounds before giving up (the bus then redelivers the message). */
const ROUNDS = 4;

/**
 * OTP limits per target (the phone or email being verified, whoever asks) and per bank customer
 * (all of their addresses), counted in NATS KV so every router instance shares them. Each count
 * is a compare-and-set: a hundred requests racing on many instances let through at most the
 * limit. Keys are keyed hashes: the bucket holds no phone number or email.
 */
@Injectable()
export class OtpLimitsService implements OnApplicationBootstrap {
  private bucket: KvBucket<OtpWindow> | null = null;
  /** The same bucket, read as the marks of requests whose code went out. */
  private sent: KvBucket<{ at: number }> | null = null;

  constructor(
    private readonly kv: KvStore,
    @Inject(ROUTER_CONFIG) private readonly config: RouterConfig,
    @Inject(CODE_HASH_KEY) private readonly hashKey: string,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    this.bucket = await this.kv.bucket<OtpWindow>(
      SESSIONS_BUCKET,
      this.config.ROUTER_SESSION_TTL_MS,
    );
    this.sent = this.bucket.as<{ at: number }>();
  }

  /**
   * Counts one OTP for `key` if the limit lets it through; `request` (requestIdOf) makes it
   * idempotent: the same request handled again holds the slot it took.
   */
  async admit(key: OtpLimitKey, now = Date.now(), request?: string): Promise<OtpAdmission> {
    const bucket = this.bucket;
    if (!bucket) throw new Error('OTP limits used before the application started');
    const max =
      key.kind === 'target' ? this.config.OTP_MAX_PER_TARGET : this.config.OTP_MAX_PER_CUSTOMER;
    const windowMs = this.config.OTP_LIMIT_WINDOW_MS;
    let admission: OtpAdmission | undefined;
    for (let round = 1; ; round++) {
      try {
        await bucket.modify(
          this.keyOf(key),
          (current) => {
            admission = admitOtp(current, now, max, windowMs, request);
            return admission.next;
          },
          windowMs,
          now,
        );
        return admission!;
      } catch (e) {
        // modify already retried a conflict a few times; under a flood, a few more rounds.
        if (round >= ROUNDS) throw e;
      }
    }
  }

  /** Gives back the slot `admit` took at `at`, for a request that failed before sending. */
  async release(key: OtpLimitKey, at: number): Promise<void> {
    const bucket = this.bucket;
    if (!bucket) return;
    await bucket.modify(
      this.keyOf(key),
      (current) => (current ? releaseOtp(current, at) : null),
      this.config.OTP_LIMIT_WINDOW_MS,
    );
  }

  /**
   * Whether the request's code went out already (markSent): a redelivery of a request that was
   * answered in full must not issue a second code.
   */
  async wasSent(request: string): Promise<boolean> {
    return (await this.sentMarks().get(`otp.sent.${request}`)) !== undefined;
  }

  /** After the request's code was handed to its channel (and its answer to the requester). */
  async markSent(request: string): Promise<void> {
    const at = Date.now();
    await this.sentMarks().put(`otp.sent.${request}`, { at }, this.config.OTP_LIMIT_WINDOW_MS, at);
  }

  /** A request's id in this bucket: a keyed hash of the inbound message it came in. */
  requestIdOf(msg: { channel: string; providerMessageId: string }): string {
    return createHmac('sha256', this.hashKey)
      .update(`otp-request:${msg.channel}:${msg.providerMessageId}`)
      .digest('hex')
      .slice(0, 40);
  }

  private sentMarks(): KvBucket<{ at: number }> {
    if (!this.sent) throw new Error('OTP limits used before the application started');
    return this.sent;
  }

  /** The key's hash (no address), also what an audit record names a target by. */
  hashOf(key: OtpLimitKey): string {
    const what =
      key.kind === 'customer'
        ? `customer:${key.coreRef}`
        : key.target.type === 'phone'
          ? `phone:${key.target.e164}`
          : `email:${key.target.email}`;
    return createHmac('sha256', this.hashKey)
      .update(`otp-limit:${what}`)
      .digest('hex')
      .slice(0, 40);
  }

  private keyOf(key: OtpLimitKey): string {
    return `otp.${key.kind}.${this.hashOf(key)}`;
  }
}
