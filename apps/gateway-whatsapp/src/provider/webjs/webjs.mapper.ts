import type { AttachmentRef, DeliveryState } from '@omnigate/contracts';
import type { WhatsAppInbound } from '../whatsapp-provider.port';

/** The parts of a whatsapp-web.js Message we read (src/structures/Message.js, 1.34.7). */
export interface WebjsMessageLike {
  id: { fromMe: boolean; remote: string; id: string; _serialized: string };
  from: string;
  to: string;
  body: string;
  type: string;
  hasMedia: boolean;
  fromMe: boolean;
  isStatus: boolean;
  broadcast?: boolean;
  author?: string;
  _data?: { notifyName?: string; mimetype?: string; filename?: string };
}

/** Prefix of an attachment ref naming a web.js message whose media the linked device can download. */
export const WEBJS_MEDIA_REF = 'whatsapp-webjs:media/';

const MEDIA_KINDS: Record<string, AttachmentRef['kind']> = {
  image: 'image',
  sticker: 'image',
  video: 'video',
  audio: 'audio',
  ptt: 'audio',
  document: 'document',
};

/** `393471234567@c.us` → `+393471234567`; a @lid (hidden number) or anything else stays raw. */
export function addressOfChatId(chatId: string): string {
  const m = /^(\d{7,15})@c\.us$/.exec(chatId);
  return m ? '+' + m[1]! : chatId;
}

/** `+393471234567` → `393471234567@c.us`; a raw chat id (…@lid) is kept. */
export function chatIdOf(address: string): string {
  return /^\+\d{7,15}$/.test(address) ? address.slice(1) + '@c.us' : address;
}

/** Messages we never treat as a customer writing to us: our own, status stories, groups, broadcasts. */
export function isCustomerMessage(m: WebjsMessageLike): boolean {
  if (m.fromMe || m.id.fromMe) return false;
  if (m.isStatus || m.from === 'status@broadcast' || m.broadcast) return false;
  if (m.from.endsWith('@g.us') || m.author) return false;
  return m.from.endsWith('@c.us') || m.from.endsWith('@lid');
}

/** A whatsapp-web.js `message` event → our provider-neutral inbound (media by reference). Pure. */
export function mapWebjsMessage(m: WebjsMessageLike, ourAddress: string): WhatsAppInbound {
  const attachments: AttachmentRef[] = [];
  if (m.hasMedia) {
    const filename = m._data?.filename;
    attachments.push({
      kind: MEDIA_KINDS[m.type] ?? 'other',
      mimeType: (m._data?.mimetype ?? 'application/octet-stream').split(';')[0]!.slice(0, 255),
      size: 0,
      sha256: null,
      ref: WEBJS_MEDIA_REF + m.id._serialized,
      ...(filename ? { filename: filename.slice(0, 255) } : {}),
    });
  }
  const name = m._data?.notifyName?.trim();
  return {
    providerMessageId: m.id._serialized,
    from: addressOfChatId(m.from),
    to: ourAddress,
    ...(name ? { displayName: name } : {}),
    text: m.body,
    attachments,
    meta: { type: m.type.slice(0, 32) },
  };
}

/** MessageAck (ACK_ERROR -1, PENDING 0, SERVER 1, DEVICE 2, READ 3, PLAYED 4) → our state. */
export function stateOfAck(ack: number): DeliveryState | null {
  if (ack === -1) return 'failed';
  if (ack === 0) return 'queued';
  if (ack === 1) return 'sent';
  if (ack === 2) return 'delivered';
  if (ack === 3 || ack === 4) return 'read';
  return null;
}

export const ACK_ERROR_FAILURE = {
  code: 'WHATSAPP.WEBJS_ACK_ERROR',
  reason: 'WhatsApp Web reported the message could not be sent from the linked device',
} as const;

/** Reconnect delay after the n-th consecutive failure (0-based): the schedule's last value repeats. */
export function reconnectDelay(schedule: readonly number[], attempt: number): number {
  return schedule[Math.min(attempt, schedule.length - 1)] ?? 5000;
}
