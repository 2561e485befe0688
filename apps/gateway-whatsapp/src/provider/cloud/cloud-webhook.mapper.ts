import type { AttachmentRef, DeliveryState } from '@omnigate/contracts';
import { fromUnixSeconds } from '@omnigate/gateway-kit';
import { WhatsAppPayloadMalformedError } from '../../whatsapp.errors';
import type { WhatsAppInbound, WhatsAppStatusUpdate } from '../whatsapp-provider.port';
import { statusErrorOf } from './cloud-errors.mapper';

/** The parts of a Cloud API webhook we read (Meta adds fields without notice: extra keys pass). */
interface CloudMedia {
  id?: string;
  mime_type?: string;
  sha256?: string;
  caption?: string;
  filename?: string;
}
interface CloudMessage {
  from?: string;
  id?: string;
  timestamp?: string;
  type?: string;
  text?: { body?: string };
  image?: CloudMedia;
  document?: CloudMedia;
  audio?: CloudMedia;
  video?: CloudMedia;
  sticker?: CloudMedia;
  button?: { text?: string; payload?: string };
  interactive?: { button_reply?: { title?: string }; list_reply?: { title?: string } };
  location?: { latitude?: number; longitude?: number; name?: string };
  context?: { id?: string };
}
interface CloudStatus {
  id?: string;
  status?: string;
  recipient_id?: string;
  biz_opaque_callback_data?: string;
  errors?: Array<{ code?: number; title?: string }>;
}
interface CloudValue {
  metadata?: { display_phone_number?: string; phone_number_id?: string };
  contacts?: Array<{ wa_id?: string; profile?: { name?: string } }>;
  messages?: CloudMessage[];
  statuses?: CloudStatus[];
}

export interface CloudWebhookContent {
  inbound: WhatsAppInbound[];
  statuses: WhatsAppStatusUpdate[];
}

/** Prefix of an attachment ref that names a Cloud API media id (fetched later via GET /{media-id}). */
export const CLOUD_MEDIA_REF = 'whatsapp-cloud:media/';

const MEDIA_KINDS = {
  image: 'image',
  sticker: 'image',
  audio: 'audio',
  video: 'video',
  document: 'document',
} as const satisfies Record<string, AttachmentRef['kind']>;

const STATES: Record<string, DeliveryState> = {
  sent: 'sent',
  delivered: 'delivered',
  read: 'read',
  played: 'read',
  failed: 'failed',
};

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Meta sends the media hash base64-encoded; the contract wants hex, or null when unknown. */
function sha256Hex(v: string | undefined): string | null {
  if (!v) return null;
  if (/^[0-9a-f]{64}$/.test(v)) return v;
  const bytes = Buffer.from(v, 'base64');
  return bytes.length === 32 ? bytes.toString('hex') : null;
}

function e164(waId: string): string {
  const digits = waId.replace(/^\+/, '');
  if (!/^[1-9]\d{6,14}$/.test(digits)) {
    throw new WhatsAppPayloadMalformedError(
      "'from' is not a WhatsApp id (digits of a phone number)",
    );
  }
  return '+' + digits;
}

function contentOf(m: CloudMessage): { text: string; attachments: AttachmentRef[]; type: string } {
  const type = m.type ?? 'unknown';
  if (type === 'text') return { text: m.text?.body ?? '', attachments: [], type };
  if (type in MEDIA_KINDS) {
    const media = m[type as keyof typeof MEDIA_KINDS];
    if (!media?.id) throw new WhatsAppPayloadMalformedError(`'${type}.id' is missing`);
    const attachment: AttachmentRef = {
      kind: MEDIA_KINDS[type as keyof typeof MEDIA_KINDS],
      mimeType: (media.mime_type ?? 'application/octet-stream').slice(0, 255),
      size: 0,
      sha256: sha256Hex(media.sha256),
      ref: CLOUD_MEDIA_REF + media.id,
      ...(media.filename ? { filename: media.filename.slice(0, 255) } : {}),
    };
    return { text: media.caption ?? '', attachments: [attachment], type };
  }
  if (type === 'button') return { text: m.button?.text ?? '', attachments: [], type };
  if (type === 'interactive') {
    const i = m.interactive;
    return { text: i?.button_reply?.title ?? i?.list_reply?.title ?? '', attachments: [], type };
  }
  if (type === 'location' && m.location) {
    const { latitude, longitude, name } = m.location;
    return { text: `${name ? name + ' ' : ''}(${latitude}, ${longitude})`, attachments: [], type };
  }
  // unsupported, contacts, order...: kept as an empty message so the agent sees something came.
  return { text: '', attachments: [], type };
}

function inboundOf(value: CloudValue, m: CloudMessage): WhatsAppInbound | null {
  if (!m.id) throw new WhatsAppPayloadMalformedError("'messages[].id' is missing");
  if (!m.from) throw new WhatsAppPayloadMalformedError("'messages[].from' is missing");
  // Reactions change an earlier message; they are not a message to answer.
  if (m.type === 'reaction') return null;
  const from = e164(m.from);
  const { text, attachments, type } = contentOf(m);
  const name = value.contacts?.find((c) => c.wa_id === m.from)?.profile?.name;
  const display = value.metadata?.display_phone_number?.replace(/\D/g, '');
  // Meta's own record of when the customer sent it (unix seconds): a message from a phone that
  // was offline arrives later than that. The publisher keeps it only within bounds.
  const sentAt = fromUnixSeconds(m.timestamp);
  return {
    providerMessageId: m.id,
    from,
    to: display ? '+' + display : (value.metadata?.phone_number_id ?? 'unknown'),
    ...(name ? { displayName: name.slice(0, 200) } : {}),
    text,
    attachments,
    ...(sentAt ? { sentAt } : {}),
    meta: {
      type: type.slice(0, 32),
      ...(value.metadata?.phone_number_id ? { phoneNumberId: value.metadata.phone_number_id } : {}),
      ...(m.context?.id ? { replyTo: m.context.id.slice(0, 256) } : {}),
    },
  };
}

function statusOf(s: CloudStatus): WhatsAppStatusUpdate | null {
  if (!s.id) throw new WhatsAppPayloadMalformedError("'statuses[].id' is missing");
  const state = STATES[s.status ?? ''];
  if (!state) return null;
  const mid = s.biz_opaque_callback_data;
  return {
    providerMessageId: s.id,
    state,
    ...(mid && UUID.test(mid) ? { messageId: mid.toLowerCase() } : {}),
    ...(state === 'failed' ? { error: statusErrorOf(s.errors) } : {}),
  };
}

/**
 * A Cloud API webhook body → the customer messages and the statuses it carries. Throws a 400-class
 * error with the reason for a payload that is not a WhatsApp Business Account notification.
 */
export function mapCloudWebhook(body: unknown): CloudWebhookContent {
  const doc = body as { object?: unknown; entry?: unknown } | null;
  if (typeof doc !== 'object' || doc === null || doc.object !== 'whatsapp_business_account') {
    throw new WhatsAppPayloadMalformedError("'object' must be whatsapp_business_account");
  }
  if (!Array.isArray(doc.entry)) throw new WhatsAppPayloadMalformedError("'entry' is missing");
  const out: CloudWebhookContent = { inbound: [], statuses: [] };
  for (const entry of doc.entry as Array<{
    changes?: Array<{ field?: string; value?: CloudValue }>;
  }>) {
    for (const change of entry.changes ?? []) {
      if (change.field !== 'messages' || !change.value) continue;
      for (const m of change.value.messages ?? []) {
        const inbound = inboundOf(change.value, m);
        if (inbound) out.inbound.push(inbound);
      }
      for (const s of change.value.statuses ?? []) {
        const status = statusOf(s);
        if (status) out.statuses.push(status);
      }
    }
  }
  return out;
}
