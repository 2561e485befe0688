import { Injectable } from '@nestjs/common';
import { KvStore } from '@omnigate/bus';
import type { KvBucket } from '@omnigate/bus';

const KEEP_MS = 7 * 24 * 3_600_000;

/**
 * provider message id → our message id, in the NATS KV bucket `whatsapp_sent` (7 days): the Cloud
 * API echoes our id itself, but web.js acks and some Cloud statuses carry only the provider's.
 */
@Injectable()
export class SentMessagesStore {
  private bucket: Promise<KvBucket<string>> | null = null;

  constructor(private readonly kv: KvStore) {}

  async remember(providerMessageId: string, messageId: string): Promise<void> {
    await (await this.open()).put(providerMessageId, messageId, KEEP_MS);
  }

  async messageIdOf(providerMessageId: string): Promise<string | undefined> {
    return (await this.open()).get(providerMessageId);
  }

  private open(): Promise<KvBucket<string>> {
    this.bucket ??= this.kv.bucket<string>('whatsapp_sent', KEEP_MS).catch((e: unknown) => {
      this.bucket = null;
      throw e;
    });
    return this.bucket;
  }
}
