/** Builders of Cloud API webhook bodies (the shapes of https://developers.facebook.com/docs/whatsapp/cloud-api/webhooks/payload-examples). Pure. */

export interface BusinessNumber {
  wabaId: string;
  phoneNumberId: string;
  /** Digits only, as Meta writes display_phone_number. */
  displayPhoneNumber: string;
}

export interface InboundSpec {
  wamid: string;
  /** The customer's wa_id: the phone number's digits. */
  waId: string;
  name: string;
  timestamp: number;
  type: 'text' | 'image' | 'document' | 'audio' | 'video';
  text?: string;
  media?: { id: string; mimeType: string; sha256: string; caption?: string; filename?: string };
}

export interface StatusSpec {
  wamid: string;
  status: 'sent' | 'delivered' | 'read' | 'failed';
  recipientWaId: string;
  timestamp: number;
  bizOpaqueCallbackData?: string;
  error?: { code: number; title: string };
}

function envelope(n: BusinessNumber, value: Record<string, unknown>) {
  return {
    object: 'whatsapp_business_account',
    entry: [
      {
        id: n.wabaId,
        changes: [
          {
            field: 'messages',
            value: {
              messaging_product: 'whatsapp',
              metadata: {
                display_phone_number: n.displayPhoneNumber,
                phone_number_id: n.phoneNumberId,
              },
              ...value,
            },
          },
        ],
      },
    ],
  };
}

export function inboundWebhook(n: BusinessNumber, m: InboundSpec): Record<string, unknown> {
  const content =
    m.type === 'text'
      ? { text: { body: m.text ?? '' } }
      : {
          [m.type]: {
            ...(m.media?.caption ? { caption: m.media.caption } : {}),
            ...(m.media?.filename ? { filename: m.media.filename } : {}),
            mime_type: m.media?.mimeType,
            sha256: m.media?.sha256,
            id: m.media?.id,
          },
        };
  return envelope(n, {
    contacts: [{ profile: { name: m.name }, wa_id: m.waId }],
    messages: [
      { from: m.waId, id: m.wamid, timestamp: String(m.timestamp), type: m.type, ...content },
    ],
  });
}

export function statusWebhook(n: BusinessNumber, s: StatusSpec): Record<string, unknown> {
  return envelope(n, {
    statuses: [
      {
        id: s.wamid,
        status: s.status,
        timestamp: String(s.timestamp),
        recipient_id: s.recipientWaId,
        ...(s.bizOpaqueCallbackData ? { biz_opaque_callback_data: s.bizOpaqueCallbackData } : {}),
        ...(s.status !== 'failed'
          ? {
              conversation: {
                id: 'CONVERSATION_ID',
                origin: { type: 'service' },
              },
              pricing: { billable: true, pricing_model: 'PMP', category: 'service' },
            }
          : {
              errors: [
                {
                  code: s.error?.code ?? 131000,
                  title: s.error?.title ?? 'Something went wrong',
                  error_data: { details: s.error?.title ?? 'Something went wrong' },
                },
              ],
            }),
      },
    ],
  });
}
