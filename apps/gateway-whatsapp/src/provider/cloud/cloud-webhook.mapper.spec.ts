import { mapCloudWebhook } from './cloud-webhook.mapper';

const METADATA = { display_phone_number: '390212345678', phone_number_id: '106540352242922' };

function envelope(value: Record<string, unknown>) {
  return {
    object: 'whatsapp_business_account',
    entry: [
      {
        id: '102290129340398',
        changes: [
          {
            field: 'messages',
            value: { messaging_product: 'whatsapp', metadata: METADATA, ...value },
          },
        ],
      },
    ],
  };
}

const contacts = [{ profile: { name: 'Giulia Rossi' }, wa_id: '393471234567' }];
const UUID = '0b6f0a4e-3c1d-4d55-9a59-0e2f3f0c9d11';

describe('mapCloudWebhook', () => {
  it('maps a text message: + wa_id as E.164, our display number, name, wamid', () => {
    const out = mapCloudWebhook(
      envelope({
        contacts,
        messages: [
          {
            from: '393471234567',
            id: 'wamid.HBgM',
            timestamp: '1763900000',
            type: 'text',
            text: { body: 'Ciao' },
          },
        ],
      }),
    );
    expect(out.statuses).toEqual([]);
    expect(out.inbound).toEqual([
      {
        providerMessageId: 'wamid.HBgM',
        from: '+393471234567',
        to: '+390212345678',
        displayName: 'Giulia Rossi',
        text: 'Ciao',
        attachments: [],
        // Meta's timestamp: when the customer sent it (unix seconds).
        sentAt: new Date('2025-11-23T12:13:20.000Z'),
        meta: { type: 'text', phoneNumberId: '106540352242922' },
      },
    ]);
  });

  it('leaves the send time out when the timestamp is missing or not unix seconds', () => {
    const out = mapCloudWebhook(
      envelope({
        messages: [
          { from: '393471234567', id: 'wamid.A', type: 'text', text: { body: 'a' } },
          {
            from: '393471234567',
            id: 'wamid.B',
            timestamp: 'soon',
            type: 'text',
            text: { body: 'b' },
          },
        ],
      }),
    );
    expect(out.inbound.map((m) => m.sentAt)).toEqual([undefined, undefined]);
  });

  it.each([
    ['image', 'image', 'image/jpeg'],
    ['document', 'document', 'application/pdf'],
    ['audio', 'audio', 'audio/ogg; codecs=opus'],
  ])('maps %s media by reference (the media id) with its caption', (type, kind, mime) => {
    const sha = Buffer.alloc(32, 7).toString('base64');
    const [m] = mapCloudWebhook(
      envelope({
        contacts,
        messages: [
          {
            from: '393471234567',
            id: 'wamid.M',
            timestamp: '1',
            type,
            [type]: {
              id: '1234567890',
              mime_type: mime,
              sha256: sha,
              caption: 'vedi allegato',
              ...(type === 'document' ? { filename: 'e.pdf' } : {}),
            },
          },
        ],
      }),
    ).inbound;
    expect(m!.text).toBe('vedi allegato');
    expect(m!.attachments).toEqual([
      {
        kind,
        mimeType: mime,
        size: 0,
        sha256: '07'.repeat(32),
        ref: 'whatsapp-cloud:media/1234567890',
        ...(type === 'document' ? { filename: 'e.pdf' } : {}),
      },
    ]);
  });

  it('ignores reactions and keeps unsupported types as an empty message with their type', () => {
    const out = mapCloudWebhook(
      envelope({
        messages: [
          {
            from: '393471234567',
            id: 'wamid.R',
            timestamp: '1',
            type: 'reaction',
            reaction: { message_id: 'wamid.X', emoji: '👍' },
          },
          { from: '393471234567', id: 'wamid.U', timestamp: '1', type: 'unsupported' },
        ],
      }),
    );
    expect(out.inbound.map((m) => [m.providerMessageId, m.text, m.meta?.type])).toEqual([
      ['wamid.U', '', 'unsupported'],
    ]);
  });

  it.each([
    ['sent', 'sent'],
    ['delivered', 'delivered'],
    ['read', 'read'],
  ])('maps status %s with our message id from biz_opaque_callback_data', (status, state) => {
    const out = mapCloudWebhook(
      envelope({
        statuses: [
          {
            id: 'wamid.S',
            status,
            timestamp: '1',
            recipient_id: '393471234567',
            biz_opaque_callback_data: UUID,
          },
        ],
      }),
    );
    expect(out.statuses).toEqual([{ providerMessageId: 'wamid.S', state, messageId: UUID }]);
  });

  it('maps a failed status with Meta’s error code and our reason; ignores an opaque value that is not our id', () => {
    const out = mapCloudWebhook(
      envelope({
        statuses: [
          {
            id: 'wamid.F',
            status: 'failed',
            timestamp: '1',
            recipient_id: '393471234567',
            biz_opaque_callback_data: 'campaign-7',
            errors: [{ code: 131026, title: 'Message undeliverable' }],
          },
        ],
      }),
    );
    expect(out.statuses).toEqual([
      {
        providerMessageId: 'wamid.F',
        state: 'failed',
        error: {
          code: 'WHATSAPP.131026',
          reason: expect.stringMatching(
            /cannot receive WhatsApp messages.*\(Meta 131026\)$/,
          ) as unknown,
        },
      },
    ]);
  });

  it('refuses what is not a WhatsApp Business Account notification, or lacks ids', () => {
    expect(() => mapCloudWebhook({ object: 'page', entry: [] })).toThrow(
      expect.objectContaining({ code: 'WHATSAPP.PAYLOAD_MALFORMED' }) as Error,
    );
    expect(() =>
      mapCloudWebhook(envelope({ messages: [{ from: '393471234567', type: 'text' }] })),
    ).toThrow("'messages[].id' is missing");
    expect(() =>
      mapCloudWebhook(envelope({ messages: [{ from: 'abc', id: 'wamid.1', type: 'text' }] })),
    ).toThrow(/not a WhatsApp id/);
  });

  it('skips changes of other fields (account updates, templates)', () => {
    const doc = envelope({});
    doc.entry[0]!.changes[0]!.field = 'message_template_status_update';
    expect(mapCloudWebhook(doc)).toEqual({ inbound: [], statuses: [] });
  });
});
