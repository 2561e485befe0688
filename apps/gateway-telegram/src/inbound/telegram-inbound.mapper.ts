import { INBOUND_MESSAGE_V1, inboundKindOf } from '@omnigate/contracts';
import type { AttachmentRef, InboundMessageV1, Redaction } from '@omnigate/contracts';
import { fromUnixSeconds } from '@omnigate/gateway-kit';
import { TelegramUpdateMalformedError } from '../telegram.errors';
import { TelegramUpdateSchema } from './telegram-update.schema';
import type { TelegramMessage } from './telegram-update.schema';

export interface InboundContext {
  /** Replaces card numbers by tokens (PanRedactor.redact): applied before anything is published. */
  redact(text: string): { text: string; redactions: Redaction[] };
  /** Our address: the bot's id (the part of the token before ':'). */
  botId: string;
  id: string;
  now: Date;
}

/** What the gateway does with one update. */
export type InboundDecision =
  | { action: 'publish'; message: InboundMessageV1; chatId: number; contactShared: boolean }
  /** `/start`: the bot greets and offers to share the contact; nothing is published. */
  | { action: 'start'; chatId: number; languageCode: string | undefined }
  /** my_chat_member: the customer blocked (kicked) or unblocked the bot. */
  | { action: 'block'; chatId: number; blocked: boolean }
  | { action: 'ignore'; reason: string };

/**
 * The dedupe key of a customer's message: bot, chat and message id. Not `update_id`: Telegram
 * picks the next update_id at random after a week without updates, so a new message could reuse
 * an old id and be dropped as a copy (https://core.telegram.org/bots/api#update). A message id is
 * unique within its chat, and a redelivered update carries the same message.
 */
export function telegramMessageKey(botId: string, chatId: number, messageId: number): string {
  return `${botId}:${chatId}:${messageId}`;
}

/** Prefix of attachment refs: `telegram:file:<file_id>` (getFile resolves it; no token inside). */
export const FILE_REF_PREFIX = 'telegram:file:';
const E164 = /^\+[1-9]\d{6,14}$/;

export function fileRef(fileId: string): string {
  return FILE_REF_PREFIX + fileId;
}

/** The file_id of a ref we made, or null for any other ref. */
export function fileIdOf(ref: string): string | null {
  return ref.startsWith(FILE_REF_PREFIX) ? ref.slice(FILE_REF_PREFIX.length) || null : null;
}

/** Telegram's contact phone ("393471234567", "+39 347...") in E.164, or null. */
export function contactE164(phone: string): string | null {
  const digits = phone.replace(/[\s().-]/g, '');
  const e164 = digits.startsWith('+') ? digits : `+${digits}`;
  return E164.test(e164) ? e164 : null;
}

function attachmentsOf(m: TelegramMessage): AttachmentRef[] {
  const out: AttachmentRef[] = [];
  if (m.photo && m.photo.length > 0) {
    // Telegram sends every resolution; the largest is the original.
    const best = m.photo.reduce((a, b) => (b.width * b.height > a.width * a.height ? b : a));
    out.push({
      kind: 'image',
      mimeType: 'image/jpeg',
      size: best.file_size ?? 0,
      sha256: null,
      ref: fileRef(best.file_id),
    });
  }
  if (m.document) out.push(fileAttachment('document', m.document, 'application/octet-stream'));
  if (m.voice) out.push(fileAttachment('audio', m.voice, 'audio/ogg'));
  if (m.audio) out.push(fileAttachment('audio', m.audio, 'audio/mpeg'));
  if (m.video) out.push(fileAttachment('video', m.video, 'video/mp4'));
  return out;
}

function fileAttachment(
  kind: AttachmentRef['kind'],
  f: { file_id: string; file_size?: number; mime_type?: string; file_name?: string },
  fallbackMime: string,
): AttachmentRef {
  const mimeType = f.mime_type && f.mime_type.length >= 3 ? f.mime_type : fallbackMime;
  return {
    kind: kind === 'document' && mimeType.startsWith('image/') ? 'image' : kind,
    mimeType,
    size: f.file_size ?? 0,
    sha256: null,
    ref: fileRef(f.file_id),
    ...(f.file_name ? { filename: f.file_name } : {}),
  };
}

function displayNameOf(m: TelegramMessage): string | undefined {
  const name = [m.from?.first_name, m.from?.last_name].filter(Boolean).join(' ').trim();
  return name ? name.slice(0, 200) : undefined;
}

/** A contact counts only when it is the sender's own: Telegram verified that phone for that user. */
function verifiedPhoneOf(m: TelegramMessage): string | null {
  if (!m.contact || m.from === undefined || m.contact.user_id !== m.from.id) return null;
  return contactE164(m.contact.phone_number);
}

function toInbound(m: TelegramMessage, ctx: InboundContext): InboundDecision {
  const from = m.from!;
  const verifiedPhone = verifiedPhoneOf(m);
  if (m.contact && !verifiedPhone) return { action: 'ignore', reason: 'contact_not_own' };
  const attachments = attachmentsOf(m);
  const raw = m.text ?? m.caption ?? '';
  if (!verifiedPhone && raw.trim() === '' && attachments.length === 0) {
    return { action: 'ignore', reason: 'unsupported_content' };
  }
  const redacted = ctx.redact(raw);
  const meta: Record<string, string> = {
    chatId: String(m.chat.id),
    telegramMessageId: String(m.message_id),
  };
  if (from.language_code) meta.languageCode = from.language_code.slice(0, 16);
  if (m.caption !== undefined && m.text === undefined) meta.caption = 'true';
  if (verifiedPhone) meta.event = 'contact_shared';
  const message: InboundMessageV1 = {
    type: INBOUND_MESSAGE_V1,
    version: 1,
    id: ctx.id,
    occurredAt: ctx.now.toISOString(),
    channel: 'telegram',
    providerMessageId: telegramMessageKey(ctx.botId, m.chat.id, m.message_id),
    // In a private chat the chat id is the user id: replies go to it.
    from: { address: String(from.id), displayName: displayNameOf(m) },
    to: { address: ctx.botId },
    // "/stop", "STOP", "Basta!", "riattiva"...: consent instructions, shared with every channel.
    kind: verifiedPhone || attachments.length > 0 ? 'text' : inboundKindOf(raw),
    text: redacted.text,
    attachments,
    redactions: redacted.redactions,
    auth: verifiedPhone
      ? {
          method: 'provider_verified_phone',
          level: 'possession',
          subject: verifiedPhone,
          authenticatedAt: new Date(m.date * 1000).toISOString(),
        }
      : { method: 'none', level: 'none' },
    meta,
  };
  // Telegram's record of when the customer sent it: updates queued while we were down arrive
  // later (up to 24 h). The publisher keeps it only within bounds.
  const sentAt = fromUnixSeconds(m.date);
  if (sentAt) message.sentAt = sentAt.toISOString();
  if (message.from.displayName === undefined) delete message.from.displayName;
  return { action: 'publish', message, chatId: m.chat.id, contactShared: verifiedPhone !== null };
}

const LINK_START = /^\/start(@\w+)?\s+link_[A-Za-z0-9]{4,32}\s*$/;

/**
 * A Bot API Update → what to do with it. Only private chats with a human sender are customer
 * messages; `/start` is the bot's greeting; my_chat_member tells a block or an unblock; the rest
 * (edits, group chats, stickers...) is acknowledged and dropped. Throws a 400-class error when the
 * body is not an Update. Pure.
 */
export function mapTelegramUpdate(body: unknown, ctx: InboundContext): InboundDecision {
  const parsed = TelegramUpdateSchema.safeParse(body);
  if (!parsed.success) {
    throw new TelegramUpdateMalformedError(
      `not a Telegram Update: ${parsed.error.issues[0]?.path.join('.') || 'body'} is invalid`,
    );
  }
  const update = parsed.data;
  if (update.my_chat_member) {
    const { chat, new_chat_member } = update.my_chat_member;
    if (chat.type !== 'private') return { action: 'ignore', reason: 'not_private' };
    if (new_chat_member.status === 'kicked') {
      return { action: 'block', chatId: chat.id, blocked: true };
    }
    if (new_chat_member.status === 'member') {
      return { action: 'block', chatId: chat.id, blocked: false };
    }
    return { action: 'ignore', reason: 'chat_member' };
  }
  const m = update.message;
  if (!m) return { action: 'ignore', reason: update.edited_message ? 'edited' : 'no_message' };
  if (m.chat.type !== 'private') return { action: 'ignore', reason: 'not_private' };
  if (!m.from || m.from.is_bot === true) return { action: 'ignore', reason: 'not_a_person' };
  // A deep link's payload (t.me/<bot>?start=link_<code>, a link code the app showed) is the
  // customer's message to the router; a bare /start is the bot's greeting.
  if (m.text !== undefined && /^\/start(@\w+)?(\s|$)/.test(m.text) && !LINK_START.test(m.text)) {
    return { action: 'start', chatId: m.chat.id, languageCode: m.from.language_code };
  }
  return toInbound(m, ctx);
}
