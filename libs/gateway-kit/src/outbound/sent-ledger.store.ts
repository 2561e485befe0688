import { Inject, Injectable, Logger } from '@nestjs/common';
import { KvStore } from '@omnigate/bus';
import type { KvBucket } from '@omnigate/bus';
import { GatewayStateUnavailableError } from '../gateway-kit.errors';
import { GATEWAY_KIT_OPTIONS } from '../gateway-kit.options';
import type { GatewayKitOptions } from '../gateway-kit.options';

/** As long as an outbound message can be redelivered (MSG_OUT keeps a week). */
const KEEP_MS = 7 * 24 * 3_600_000;
const RECENT_SENDS = 2000;

/**
 * What this gateway already handed to its provider (our message id → the provider's id), so a
 * redelivered outbound message (after a crash, a failed status publish) is reported, never sent
 * twice. Shared by every instance in the KV bucket `<channel>_ledger`; this instance's recent sends
 * are also kept in memory, which still answers while the KV does not.
 */
@Injectable()
export class SentLedger {
  private readonly logger = new Logger('gateway-ledger');
  private readonly recent = new Map<string, string>();
  private bucket: Promise<KvBucket<string>> | null = null;

  constructor(
    @Inject(GATEWAY_KIT_OPTIONS) private readonly options: GatewayKitOptions,
    private readonly kv: KvStore,
  ) {}

  get bucketName(): string {
    return `${this.options.channel}_ledger`;
  }

  /** The provider's id of a message sent before, or null when it never was. */
  async providerIdOf(messageId: string): Promise<string | null> {
    const mine = this.recent.get(messageId);
    if (mine) return mine;
    try {
      return (await (await this.open()).get(messageId)) ?? null;
    } catch (e) {
      // Not knowing must not mean sending twice: the send waits (nak) until the ledger answers.
      throw new GatewayStateUnavailableError('sent ledger', e);
    }
  }

  async remember(messageId: string, providerMessageId: string): Promise<void> {
    this.recent.set(messageId, providerMessageId);
    if (this.recent.size > RECENT_SENDS) this.recent.delete(this.recent.keys().next().value!);
    try {
      await (await this.open()).put(messageId, providerMessageId, KEEP_MS);
    } catch (e) {
      // Sent already: failing now would only resend. This instance still remembers it.
      this.logger.warn({
        msg: 'sent ledger not written; this instance remembers the send',
        messageId,
        code: (e as { code?: string }).code,
      });
    }
  }

  private open(): Promise<KvBucket<string>> {
    this.bucket ??= this.kv.bucket<string>(this.bucketName, KEEP_MS).catch((e: unknown) => {
      this.bucket = null;
      throw e;
    });
    return this.bucket;
  }
}
