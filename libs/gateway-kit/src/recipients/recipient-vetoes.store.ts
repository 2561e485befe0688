import { Inject, Injectable } from '@nestjs/common';
import { KvStore } from '@omnigate/bus';
import type { KvBucket } from '@omnigate/bus';
import { consentChangesForKeyword } from '@omnigate/contracts';
import type { ConsentPurpose, OutboundMessageV1 } from '@omnigate/contracts';
import { GatewayStateUnavailableError } from '../gateway-kit.errors';
import { GATEWAY_KIT_OPTIONS } from '../gateway-kit.options';
import type { GatewayKitOptions } from '../gateway-kit.options';
import { ALL_REVOKED, vetoOf, vetoOfMessage, withBlock, withConsent } from './recipient-veto.rule';
import type { RecipientEntry, Veto } from './recipient-veto.rule';

/**
 * The gateway's own opt-out and blocked lists, one KV entry per address in `<channel>_vetoes`
 * (never expiring: an opt-out holds until the customer opts back in). Fed at once by what the
 * gateway sees (keywords, provider errors, blocks) and by the router's consent events; read
 * before every send. Any failure is GATEWAY.STATE_UNAVAILABLE (503 on a webhook, retry on the bus).
 */
@Injectable()
export class RecipientVetoes {
  private bucket: Promise<KvBucket<RecipientEntry>> | null = null;
  private readonly keyOf: (address: string) => string;

  constructor(
    @Inject(GATEWAY_KIT_OPTIONS) private readonly options: GatewayKitOptions,
    private readonly kv: KvStore,
  ) {
    this.keyOf = options.addressKey ?? ((a) => a.trim());
  }

  get bucketName(): string {
    return `${this.options.channel}_vetoes`;
  }

  async vetoOf(address: string, purpose: ConsentPurpose): Promise<Veto | null> {
    return vetoOf(await this.entry(address), purpose);
  }

  /** What stops this outbound message to `address` (its purpose; a STOP's own confirmation goes). */
  async vetoOfMessage(
    address: string,
    msg: Pick<OutboundMessageV1, 'purpose' | 'author'>,
  ): Promise<Veto | null> {
    return vetoOfMessage(await this.entry(address), msg);
  }

  async entry(address: string): Promise<RecipientEntry | undefined> {
    return this.use(async (b) => b.get(this.keyOf(address)));
  }

  /** Decisions about purposes, made at `at` (newest wins per purpose). */
  async recordConsent(
    address: string,
    changes: ReadonlyArray<{ purpose: ConsentPurpose; granted: boolean }>,
    at: Date,
    source: string,
  ): Promise<void> {
    await this.change(address, (e) => withConsent(e, changes, at, source));
  }

  /** STOP/START as the contracts' consent policy reads them, recorded as of the message's time. */
  async applyKeyword(
    address: string,
    kind: 'optout' | 'optin',
    at: Date,
    keyword: string,
  ): Promise<void> {
    await this.recordConsent(address, consentChangesForKeyword(kind), at, `keyword:${keyword}`);
  }

  /** The provider refused a send because the recipient unsubscribed there (Twilio 21610). */
  async optedOutAtProvider(address: string, code: string, at = new Date()): Promise<void> {
    await this.recordConsent(address, ALL_REVOKED, at, `provider:${code}`);
  }

  /** The customer blocked us (or unblocked, or wrote to us again). */
  async setBlocked(address: string, blocked: boolean, source: string, at = new Date()) {
    await this.change(address, (e) => withBlock(e, blocked, at, source));
  }

  private async change(
    address: string,
    fn: (e: RecipientEntry | undefined) => RecipientEntry | null,
  ): Promise<void> {
    await this.use((b) => b.modify(this.keyOf(address), fn, null));
  }

  private async use<T>(fn: (b: KvBucket<RecipientEntry>) => Promise<T>): Promise<T> {
    try {
      return await fn(await this.open());
    } catch (e) {
      throw new GatewayStateUnavailableError('opt-out list', e);
    }
  }

  private open(): Promise<KvBucket<RecipientEntry>> {
    // No max age: an opt-out must outlive any retention of the streams.
    this.bucket ??= this.kv.bucket<RecipientEntry>(this.bucketName, 0).catch((e: unknown) => {
      this.bucket = null;
      throw e;
    });
    return this.bucket;
  }
}
