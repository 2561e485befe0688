import type { OutboundMessageV1 } from '@omnigate/contracts';
import { statusCallbackUrl, toSendRequest } from './sms-outbound.mapper';

const msg: OutboundMessageV1 = {
  type: 'omnigate.msg.outbound.v1',
  version: 1,
  id: '0b8f5b1e-2a3c-4d5e-8f90-1a2b3c4d5e6f',
  occurredAt: '2026-01-01T00:00:00.000Z',
  channel: 'sms',
  conversationId: '1c9d6f3a-4b5e-4c7d-9e0f-2a3b4c5d6e7f',
  messageId: '2d0e7a4b-5c6f-4d8e-af10-3b4c5d6e7f80',
  seq: 3,
  to: { address: '+393471234567' },
  text: 'Buongiorno, la carta è stata sbloccata.',
  attachments: [
    {
      kind: 'image',
      mimeType: 'image/png',
      size: 10,
      sha256: null,
      ref: 'https://files.example/receipt.png',
    },
    {
      kind: 'document',
      mimeType: 'application/pdf',
      size: 10,
      sha256: null,
      ref: 'store/key/private.pdf',
    },
  ],
  author: { kind: 'agent', id: 'alice' },
  purpose: 'service',
};

describe('sms outbound mapper', () => {
  it('builds the status callback URL from the public URL with our message id', () => {
    expect(statusCallbackUrl('https://sms.example.com', msg.messageId)).toBe(
      `https://sms.example.com/webhooks/twilio/status?mid=${msg.messageId}`,
    );
  });

  it('maps an outbound message to a send: text, public media only, callback', () => {
    expect(toSendRequest(msg, '+393471234567', 'https://sms.example.com')).toEqual({
      to: '+393471234567',
      body: msg.text,
      mediaUrls: ['https://files.example/receipt.png'],
      statusCallbackUrl: `https://sms.example.com/webhooks/twilio/status?mid=${msg.messageId}`,
    });
  });
});
