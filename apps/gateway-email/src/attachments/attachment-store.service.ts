import { createHash, randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { AttachmentRef } from '@omnigate/contracts';
import { EmailAttachmentsRepository } from '@omnigate/store';
import type { KeyOwner } from '@omnigate/store';
import { EMAIL_CONFIG } from '../config/gateway-email.config';
import type { GatewayEmailConfig } from '../config/gateway-email.config';
import { EmailStoreUnavailableError } from '../email.errors';
import { emailMetrics } from '../email.metrics';
import { checkAttachment } from './attachment-policy.mapper';
import type { AttachmentCandidate } from './attachment-policy.mapper';

/** The contract's limit of attachments on one message. */
const MAX_ATTACHMENTS = 20;

export interface StoredAttachments {
  refs: AttachmentRef[];
  /** Why each refused attachment was refused, for the agent's note. */
  refused: string[];
}

/** Checks inbound attachments against the policy and stores the accepted ones (bytes in the DB). */
@Injectable()
export class AttachmentStoreService {
  constructor(
    @Inject(EMAIL_CONFIG) private readonly config: GatewayEmailConfig,
    private readonly repo: EmailAttachmentsRepository,
  ) {}

  async storeAll(candidates: AttachmentCandidate[]): Promise<StoredAttachments> {
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
      const ref = await this.store(c.content, verdict.mimeType, c.filename);
      out.refs.push({ ...ref, kind: verdict.kind });
      emailMetrics.attachments.inc({ verdict: 'stored' });
    }
    return out;
  }

  /** Stores bytes and returns the reference the bus carries (`att:<id>`). */
  /** `keyOwner`: whose data key seals it (default: its own); the original text uses its mail's. */
  async store(
    content: Buffer,
    mimeType: string,
    filename: string | null,
    keyOwner?: KeyOwner,
  ): Promise<AttachmentRef> {
    const id = randomUUID();
    const sha256 = createHash('sha256').update(content).digest('hex');
    try {
      await this.repo.insert({ id, content, mimeType, sha256, filename, keyOwner });
    } catch (e) {
      throw new EmailStoreUnavailableError(e);
    }
    return {
      kind: 'document',
      mimeType,
      size: content.length,
      sha256,
      ref: `att:${id}`,
      ...(filename ? { filename: filename.slice(0, 255) } : {}),
    };
  }
}
