import { inboundWebhook, statusWebhook } from './whatsapp-webhook.mapper';

const NUMBER = {
  wabaId: '102290129340398',
  phoneNumberId: '106540352242922',
  displayPhoneNumber: '390212345678',
};

describe('Cloud API webhook bodies built by the sandbox', () => {
  it('a customer text: contacts + messages under entry[].changes[].value, as Meta sends them', () => {
    expect(
      inboundWebhook(NUMBER, {
        wamid: 'wamid.A',
        waId: '393471234567',
        name: 'Giulia',
        timestamp: 1763900000,
        type: 'text',
        text: 'Ciao',
      }),
    ).toEqual({
      object: 'whatsapp_business_account',
      entry: [
        {
          id: NUMBER.wabaId,
          changes: [
            {
              field: 'messages',
              value: {
                messaging_product: 'whatsapp',
                metadata: {
                  display_phone_number: '390212345678',
                  phone_number_id: '106540352242922',
                },
                contacts: [{ profile: { name: 'Giulia' }, wa_id: '393471234567' }],
                messages: [
                  {
                    from: '393471234567',
                    id: 'wamid.A',
                    timestamp: '1763900000',
                    type: 'text',
                    text: { body: 'Ciao' },
                  },
                ],
              },
            },
          ],
        },
      ],
    });
  });

  it('a failed status carries errors[{code,title}] and our opaque callback data', () => {
    const body = statusWebhook(NUMBER, {
      wamid: 'wamid.B',
      status: 'failed',
      recipientWaId: '393471234567',
      timestamp: 1,
      bizOpaqueCallbackData: 'mid-1',
      error: { code: 131026, title: 'Message undeliverable' },
    });
    const status = (body.entry as Array<{ changes: Array<{ value: { statuses: unknown[] } }> }>)[0]!
      .changes[0]!.value.statuses[0];
    expect(status).toMatchObject({
      id: 'wamid.B',
      status: 'failed',
      recipient_id: '393471234567',
      biz_opaque_callback_data: 'mid-1',
      errors: [{ code: 131026, title: 'Message undeliverable' }],
    });
  });
});
