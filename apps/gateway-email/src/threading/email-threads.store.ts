import { createHash } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { KvStore } from '@omnigate/bus';
import type { KvBucket } from '@omnigate/bus';
import { EMAIL_CONFIG } from '../config/gateway-email.config';
import type { GatewayEmailConfig } from '../config/gateway-email.config';

/** The gateway's own NATS KV bucket of Message-IDs (threading, bounces, our outbound ids). */
export const EMAIL_THREADS_BUCKET = 'email_threads';

/** A Message-ID we received or sent. */
export interface MailRecord {
  messageId: string;
  direction: 'inbound' | 'outbound';
  /** Outbound: its conversation; inbound: the thread it matched (or null). */
  conversationId: string | null;
  /** Outbound: the router's message id (what statuses name). */
  ourMessageId: string | null;
}

/**
 * Our outbound mail, by the router's message id: the Message-ID it goes out with (a retry reuses
 * it). Whether it was sent is the kit's sent ledger's to say, not this record's.
 */
export interface OutboundRecord {
  messageId: string;
  conversationId: string;
}

/** The customer's newest inbound mail: what our reply threads under. */
export interface LastInbound {
  messageId: string;
  subject: string;
  references: string[];
}

type Entry = MailRecord | OutboundRecord | LastInbound;

/**
 * Keys never carry an address or a Message-ID in the clear (Message-IDs often hold one): both are
 * hashed. Without a per-key TTL on NATS 2.9, the bucket's max_age bounds every entry (a write
 * renews it), so nothing outlives EMAIL_THREAD_MAX_AGE_MS since its last use.
 */
const hashed = (kind: string, value: string): string =>
  `${kind}.${createHash('sha256').update(`omnigate:email:${kind}:${value}`).digest('hex')}`;

/** Message-ID ↔ our message id, thread, state and last inbound per address, in NATS KV. */
@Injectable()
export class EmailThreadsStore {
  private bucket: Promise<KvBucket<Entry>> | null = null;

  constructor(
    @Inject(EMAIL_CONFIG) private readonly config: GatewayEmailConfig,
    private readonly kv: KvStore,
  ) {}

  async byMessageId(messageId: string): Promise<MailRecord | null> {
    return ((await (await this.open()).get(hashed('mid', messageId))) as MailRecord) ?? null;
  }

  /** The known records among these Message-IDs (at most 100 looked up). */
  async many(messageIds: string[]): Promise<MailRecord[]> {
    const found = await Promise.all(messageIds.slice(0, 100).map((id) => this.byMessageId(id)));
    return found.filter((r): r is MailRecord => r !== null);
  }

  async outbound(ourMessageId: string): Promise<OutboundRecord | null> {
    return ((await (await this.open()).get(`out.${ourMessageId}`)) as OutboundRecord) ?? null;
  }

  async lastInboundFrom(address: string): Promise<LastInbound | null> {
    return ((await (await this.open()).get(hashed('last', address))) as LastInbound) ?? null;
  }

  async rememberInbound(r: MailRecord & { address: string } & LastInbound): Promise<void> {
    const kv = await this.open();
    const { messageId, direction, conversationId, ourMessageId } = r;
    await kv.put(
      hashed('mid', messageId),
      { messageId, direction, conversationId, ourMessageId },
      null,
    );
    await kv.put(
      hashed('last', r.address),
      { messageId, subject: r.subject.slice(0, 1000), references: r.references.slice(-20) },
      null,
    );
  }

  /** Before the send: a quick reply already finds its thread, a redelivery finds the record. */
  async rememberOutbound(ourMessageId: string, o: OutboundRecord): Promise<void> {
    const kv = await this.open();
    await kv.put(
      hashed('mid', o.messageId),
      {
        messageId: o.messageId,
        direction: 'outbound',
        conversationId: o.conversationId,
        ourMessageId,
      },
      null,
    );
    await kv.put(`out.${ourMessageId}`, o, null);
  }

  private open(): Promise<KvBucket<Entry>> {
    this.bucket ??= this.kv
      .bucket<Entry>(EMAIL_THREADS_BUCKET, this.config.EMAIL_THREAD_MAX_AGE_MS)
      .catch((e: unknown) => {
        this.bucket = null;
        throw e;
      });
    return this.bucket;
  }
}
