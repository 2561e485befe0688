import type { SinkMessage } from '../email/email-sink.service';
import type { SentRecord } from '../telegram/telegram.types';
import type { TwilioMessageRecord } from '../twilio/twilio.types';
import type { SentWhatsApp } from '../whatsapp/whatsapp-state.service';
import type { SimulatorChannel } from './simulator-personas.mapper';

/** One message the customer received, whatever the channel. */
export interface InboxEntry {
  id: string;
  channel: SimulatorChannel;
  /** The customer's address it was sent to. */
  address: string;
  /** ISO time the stand-in received it from our gateway. */
  at: string;
  text: string;
  /** The provider's delivery state as the stand-in reports it (delivered, read, failed...). */
  status: string;
  /** Email only. */
  subject?: string;
}

/** An SMS our gateway sent through the fake Twilio (its inbound records are the customer's). */
export function fromTwilio(r: TwilioMessageRecord): InboxEntry | null {
  if (r.direction !== 'outbound-api') return null;
  return {
    id: r.sid,
    channel: 'sms',
    address: r.to,
    at: r.dateCreated.toISOString(),
    text: r.body,
    status: r.status,
  };
}

/** A string field of a request object, '' when absent or not a string. */
function field(o: unknown, key: string): string {
  const v = typeof o === 'object' && o !== null ? (o as Record<string, unknown>)[key] : undefined;
  return typeof v === 'string' ? v : '';
}

/** The readable part of a Cloud API send: text body, media caption, or the template's name. */
function whatsAppText(request: Record<string, unknown>, type: string): string {
  const content = request[type];
  if (type === 'text') return field(content, 'body');
  if (type === 'template') return `[template ${field(content, 'name') || '?'}]`;
  const shown = field(content, 'caption') || field(content, 'link') || field(content, 'id');
  return `[${type}] ${shown}`.trim();
}

export function fromWhatsApp(s: SentWhatsApp, address: string): InboxEntry {
  return {
    id: s.id,
    channel: 'whatsapp',
    address,
    at: s.createdAt,
    text: whatsAppText(s.request, s.type),
    status: s.statuses.at(-1) ?? 'accepted',
  };
}

export function fromTelegram(s: SentRecord): InboxEntry {
  const text = s.text ?? s.caption ?? '';
  return {
    id: `tg-${s.chatId}-${s.messageId}`,
    channel: 'telegram',
    address: s.chatId,
    at: new Date(s.date * 1000).toISOString(),
    text: s.method === 'sendMessage' ? text : `[${s.method.slice(4).toLowerCase()}] ${text}`.trim(),
    status: 'sent',
  };
}

export function fromEmail(m: SinkMessage, address: string): InboxEntry {
  return {
    id: m.messageId ?? `mail-${m.seq}`,
    channel: 'email',
    address,
    at: m.receivedAt,
    text: m.text.trim(),
    status: 'received',
    subject: m.subject,
  };
}

/** Oldest first; ties keep their order. */
export function byTime(entries: InboxEntry[]): InboxEntry[] {
  return entries
    .map((e, i) => ({ e, i }))
    .sort((a, b) => a.e.at.localeCompare(b.e.at) || a.i - b.i)
    .map(({ e }) => e);
}
