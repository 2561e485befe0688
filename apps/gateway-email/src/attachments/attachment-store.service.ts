import { createHash, randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { AttachmentRef } from '@omnigate/contracts';
import { EMAIL_CONFIG } from '../config/gateway-email.config';
import type { GatewayEmailConfig } from '../config/gateway-email.config';
import { emailMetrics } from '../email.metrics';
import { SealedObjectsService } from '../sealing/sealed-objects.service';
import { checkAttachment } from './attachment-policy.mapper';
import type { AttachmentCandidate } from './attachment-policy.mapper';

/** The contract's limit of attachments on one message. */
const MAX_ATTACHMENTS = 20;

export interface StoredAttachments {
  refs: AttachmentRef[];
  /** Why each refused attachment was refused, for the agent's note. */
  refused: string[];
}

/**
 * Checks inbound attachments against the policy and stores the accepted ones sealed to the router
 * in the object store (the router takes them in when it stores the message).
 */
@Injectable()
export class AttachmentStoreService {
  constructor(
    @Inject(EMAIL_CONFIG) private readonly config: GatewayEmailConfig,
    private readonly objects: SealedObjectsService,
  ) {}

  /** `messageId`: the mail's Message-ID, which each sealed attachment is bound to. */
  async storeAll(candidates: AttachmentCandidate[], messageId: string): Promise<StoredAttachments> {
    const policy = {
      maxBytes: this.config.EMAIL_ATTACHMENT_MAX_BYTES,
      allowed: this.config.EMAIL_ATTACHMENT_TYPES,
    };
    const out: StoredAttachments = { refs: [], refused: [] };
    for (const c of candidates) {
      if (out.refs.length >= MAX_ATTACHMENTS) {
        out.refused.push(
          `"${c.filename ?? 'attachment'}" was not kept: at most ${MAX_ATTACHMENTS} attachments per message`,
        );
        emailMetrics.attachments.inc({ verdict: 'EMAIL.ATTACHMENTS_TOO_MANY' });
        continue;
      }
      const verdict = checkAttachment(c, policy);
      if (!verdict.ok) {
        out.refused.push(verdict.reason);
        emailMetrics.attachments.inc({ verdict: verdict.code });
        continue;
      }
      const ref = await this.store(c.content, verdict.mimeType, c.filename, messageId);
      out.refs.push({ ...ref, kind: verdict.kind });
      emailMetrics.attachments.inc({ verdict: 'stored' });
    }
    return out;
  }

  /** Stores bytes sealed and returns the reference the bus carries (`obj:<id>`). */
  async store(
    content: Buffer,
    mimeType: string,
    filename: string | null,
    messageId: string,
  ): Promise<AttachmentRef> {
    const sha256 = createHash('sha256').update(content).digest('hex');
    const ref = await this.objects.putAttachment(randomUUID(), messageId, content);
    return {
      kind: 'document',
      mimeType,
      size: content.length,
      sha256,
      ref,
      ...(filename ? { filename: filename.slice(0, 255) } : {}),
    };
  }
}
