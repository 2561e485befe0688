import { Injectable } from '@nestjs/common';
import { eq } from 'drizzle-orm';
import { DbHandle } from '../db-handle';
import { emailAttachments } from './email-schema';
import { DataOpener } from '../protection/data-opener';
import type { KeyOwner } from '../protection/data-opener';
import { DataProtection } from '../protection/data-protection';

export const attachmentOwner = (id: string): KeyOwner => `attachment:${id}`;

export interface NewEmailAttachment {
  id: string;
  content: Buffer;
  mimeType: string;
  sha256: string;
  filename: string | null;
}

export type EmailAttachmentRow = typeof emailAttachments.$inferSelect;

/** The data key an attachment row is sealed with: its own, or the one the row names. */
export const attachmentKeyOwner = (row: Pick<EmailAttachmentRow, 'id' | 'keyOwner'>): KeyOwner =>
  (row.keyOwner as KeyOwner | null) ?? attachmentOwner(row.id);

/** Attachment bytes of inbound email, opened for a download (the console reads, never writes). */
@Injectable()
export class EmailAttachmentsReader {
  constructor(
    protected readonly h: DbHandle,
    protected readonly dp: DataOpener,
  ) {}

  async get(id: string): Promise<EmailAttachmentRow | null> {
    const rows = await this.h.db
      .select()
      .from(emailAttachments)
      .where(eq(emailAttachments.id, id))
      .limit(1);
    const row = rows[0];
    if (!row) return null;
    const owner = attachmentKeyOwner(row);
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

/** The router stores what the email gateway sealed to it (see email-schema.ts for why here). */
@Injectable()
export class EmailAttachmentsRepository extends EmailAttachmentsReader {
  constructor(
    h: DbHandle,
    private readonly protection: DataProtection,
  ) {
    super(h, protection);
  }

  /** Content and file name sealed with the attachment's own data key (erasure destroys it). */
  async insert(a: NewEmailAttachment): Promise<void> {
    const owner = attachmentOwner(a.id);
    const sealed = await this.protection.sealBytes(owner, 'email_attachments.content', a.content);
    await this.h.db.insert(emailAttachments).values({
      id: a.id,
      content: sealed ?? a.content,
      sealed: sealed !== null,
      keyOwner: null,
      mimeType: a.mimeType,
      size: a.content.length,
      sha256: a.sha256,
      filename: await this.protection.sealNullable(owner, 'email_attachments.filename', a.filename),
    });
  }
}
