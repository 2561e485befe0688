import { createHash } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { ObjectStoreClient, PermanentError } from '@omnigate/bus';
import type { ObjectBucket } from '@omnigate/bus';
import {
  SealedObjectBuckets,
  SealedObjectV1Schema,
  sealedAttachmentAad,
  sealedObjectIdOf,
} from '@omnigate/contracts';
import type { AttachmentRef, InboundMessageV1 } from '@omnigate/contracts';
import { HpkeOpener } from '@omnigate/crypto';
import { EmailAttachmentsRepository } from '@omnigate/store';
import { ROUTER_CONFIG } from '../config/router.config';
import type { RouterConfig } from '../config/router.config';

const DAY_MS = 86_400_000;
/** The gateway creates the bucket with its own max_age; this one applies only if the router is first. */
const BUCKET_MAX_AGE_MS = 7 * DAY_MS;

export interface TakenIn {
  /** The message's attachments as stored: `att:<id>` rows the console serves. */
  attachments: AttachmentRef[];
  /** Objects to delete once the message is stored. */
  objects: string[];
}

/**
 * Email attachments arrive sealed to the router (HPKE) in the object store: each is fetched,
 * opened (its AAD binds it to this mail and this ref), checked against its SHA-256, and stored
 * like before (email_attachments, sealed with its own data key, shredded on erasure). The
 * full original text of a mail (`meta.originalRef`) is kept the same way, as one more attachment.
 * Idempotent: on a redelivery the rows are there and the objects are not fetched again.
 */
@Injectable()
export class EmailIntakeService {
  private readonly logger = new Logger('email-intake');
  private readonly opener: HpkeOpener | null;

  constructor(
    @Inject(ROUTER_CONFIG) config: RouterConfig,
    private readonly objects: ObjectStoreClient,
    private readonly rows: EmailAttachmentsRepository,
  ) {
    this.opener = config.ROUTER_INTAKE_PRIVATE_KEYS
      ? HpkeOpener.fromConfig(config.ROUTER_INTAKE_PRIVATE_KEYS, 'ROUTER_INTAKE_PRIVATE_KEYS')
      : null;
  }

  async takeIn(msg: InboundMessageV1): Promise<TakenIn> {
    const original = msg.meta?.originalRef;
    const sealed = [
      ...msg.attachments,
      ...(original && sealedObjectIdOf(original)
        ? [
            {
              kind: 'document' as const,
              mimeType: 'text/plain',
              size: 0,
              sha256: null,
              ref: original,
              filename: 'original-message.txt',
            },
          ]
        : []),
    ];
    if (msg.channel !== 'email' || !sealed.some((a) => sealedObjectIdOf(a.ref))) {
      return { attachments: msg.attachments, objects: [] };
    }
    const out: TakenIn = { attachments: [], objects: [] };
    for (const a of sealed) {
      const id = sealedObjectIdOf(a.ref);
      if (!id) {
        out.attachments.push(a);
        continue;
      }
      const stored = (await this.rows.get(id)) ?? (await this.storeObject(msg, a, id));
      out.attachments.push({ ...a, ref: `att:${id}`, size: stored.size, sha256: stored.sha256 });
      out.objects.push(id);
    }
    return out;
  }

  /** After the message is stored: the sealed copies go (the bucket's max_age catches a miss). */
  async release(objects: string[]): Promise<void> {
    if (objects.length === 0) return;
    try {
      const bucket = await this.bucket();
      for (const id of objects) await bucket.delete(id);
    } catch (e) {
      this.logger.warn({
        msg: 'sealed attachment not deleted',
        code: 'BUS.UNAVAILABLE',
        err: String(e),
      });
    }
  }

  private async storeObject(
    msg: InboundMessageV1,
    a: AttachmentRef,
    id: string,
  ): Promise<{ size: number; sha256: string }> {
    const content = await this.open(msg, a.ref, id);
    const sha256 = createHash('sha256').update(content).digest('hex');
    if (a.sha256 !== null && a.sha256 !== sha256) {
      throw new PermanentError('ROUTER.ATTACHMENT_UNREADABLE', `attachment ${id}: SHA-256 differs`);
    }
    await this.rows.insert({
      id,
      content,
      mimeType: a.mimeType,
      sha256,
      filename: a.filename ?? null,
    });
    return { size: content.length, sha256 };
  }

  private async open(msg: InboundMessageV1, ref: string, id: string): Promise<Buffer> {
    if (!this.opener) {
      throw new PermanentError(
        'ROUTER.INTAKE_KEY_MISSING',
        'an email attachment arrived sealed but ROUTER_INTAKE_PRIVATE_KEYS is not set',
      );
    }
    const raw = await (await this.bucket()).get(id);
    if (!raw) {
      throw new PermanentError(
        'ROUTER.ATTACHMENT_MISSING',
        `attachment ${id} is not in the object store`,
      );
    }
    try {
      const box = SealedObjectV1Schema.parse(JSON.parse(raw.toString('utf8')));
      const aad = sealedAttachmentAad(msg.providerMessageId, ref);
      return Buffer.from(await this.opener.open(box, aad));
    } catch (e) {
      // Tampered, moved from another mail or name, or sealed to a key we do not hold.
      throw new PermanentError('ROUTER.ATTACHMENT_UNREADABLE', `attachment ${id} does not open`, e);
    }
  }

  private bucket(): Promise<ObjectBucket> {
    return this.objects.bucket(SealedObjectBuckets.emailAttachments, BUCKET_MAX_AGE_MS);
  }
}
