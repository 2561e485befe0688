import { Injectable } from '@nestjs/common';
import { eq } from 'drizzle-orm';
import { DbHandle } from '../db-handle';
import { emailAttachments } from './email-schema';
import { DataProtection } from '../protection/data-protection';
import type { KeyOwner } from '../protection/data-protection';

export const attachmentOwner = (id: string): KeyOwner => `attachment:${id}`;

export interface NewEmailAttachment {
  id: string;
  content: Buffer;
  mimeType: string;
  sha256: string;
  filename: string | null;
  /** Whose data key seals it; default its own (`attachment:<id>`). */
  keyOwner?: KeyOwner;
}

export type EmailAttachmentRow = typeof emailAttachments.$inferSelect;

/** Attachment bytes of inbound email (see email-schema.ts for why they live here). */
@Injectable()
export class EmailAttachmentsRepository {
  constructor(
    private readonly h: DbHandle,
    private readonly dp: DataProtection,
  ) {}

  /** Content and file name sealed with the attachment's own data key (erasure destroys it). */
  async insert(a: NewEmailAttachment): Promise<void> {
    const owner = a.keyOwner ?? attachmentOwner(a.id);
    const sealed = await this.dp.sealBytes(owner, 'email_attachments.content', a.content);
    await this.h.db.insert(emailAttachments).values({
      id: a.id,
      content: sealed ?? a.content,
      sealed: sealed !== null,
      keyOwner: a.keyOwner ?? null,
      mimeType: a.mimeType,
      size: a.content.length,
      sha256: a.sha256,
      filename: await this.dp.sealNullable(owner, 'email_attachments.filename', a.filename),
    });
  }

  async get(id: string): Promise<EmailAttachmentRow | null> {
    const rows = await this.h.db
      .select()
      .from(emailAttachments)
      .where(eq(emailAttachments.id, id))
      .limit(1);
    const row = rows[0];
    if (!row) return null;
    const owner = (row.keyOwner as KeyOwner | null) ?? attachmentOwner(row.id);
    const content = row.sealed
      ? await this.dp.openBytes(owner, 'email_attachments.content', row.content)
      : row.content;
    // An erased attachment reads as gone.
    if (!content) return null;
    return {
      ...row,
      content,
      sealed: false,
      filename: await this.dp.openNullable(owner, 'email_attachments.filename', row.filename),
    };
  }
}
