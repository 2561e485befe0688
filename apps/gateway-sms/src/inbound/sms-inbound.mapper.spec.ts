import { InboundMessageV1Schema } from '@omnigate/contracts';
import { PanRedactor } from '@omnigate/crypto';
import { mapTwilioInbound } from './sms-inbound.mapper';
import type { FormParams } from './sms-inbound.mapper';

const redactor = new PanRedactor();
const ctx = {
  region: 'IT' as const,
  redact: (t: string) => redactor.redact(t),
  id: '7b0c0f57-6a8e-4a5e-9d2f-3f4f1d2c9a10',
  now: new Date('2026-01-02T03:04:05Z'),
};
const SID = 'SM' + '0123456789abcdef'.repeat(2);

/** A real-shaped Twilio inbound webhook form (https://www.twilio.com/docs/messaging/guides/webhook-request). */
function form(over: FormParams = {}): FormParams {
  return {
    ToCountry: 'IT',
    ToState: '',
    SmsMessageSid: SID,
    NumMedia: '0',
    ToCity: '',
    FromZip: '',
    SmsSid: SID,
    FromState: '',
    SmsStatus: 'received',
    FromCity: '',
    Body: 'La mia carta è bloccata',
    FromCountry: 'IT',
    To: '+390212345678',
    ToZip: '',
    NumSegments: '1',
    MessageSid: SID,
    AccountSid: 'AC' + 'a'.repeat(32),
    From: '+393471234567',
    ApiVersion: '2010-04-01',
    ...over,
  };
}

describe('mapTwilioInbound', () => {
  it('maps a plain SMS to a valid InboundMessage v1', () => {
    const msg = mapTwilioInbound(form(), ctx);
    expect(InboundMessageV1Schema.parse(msg)).toEqual(msg);
    expect(msg).toMatchObject({
      id: ctx.id,
      occurredAt: '2026-01-02T03:04:05.000Z',
      channel: 'sms',
      providerMessageId: SID,
      from: { address: '+393471234567' },
      to: { address: '+390212345678' },
      kind: 'text',
      text: 'La mia carta è bloccata',
      attachments: [],
      redactions: [],
      auth: { method: 'none', level: 'none' },
      meta: { numSegments: '1' },
    });
  });

  it('normalises a national From to E.164 with the default region and keeps a short-code To', () => {
    const msg = mapTwilioInbound(form({ From: '347 123 4567', To: '40404' }), ctx);
    expect(msg.from.address).toBe('+393471234567');
    expect(msg.to.address).toBe('40404');
  });

  it.each([
    ['plain', '4111111111111111'],
    ['spaced', '4111 1111 1111 1111'],
    ['dashed', '4111-1111-1111-1111'],
  ])('replaces a %s card number by a token', (_label, pan) => {
    const msg = mapTwilioInbound(form({ Body: `carta ${pan} scade 12/27` }), ctx);
    expect(msg.text).not.toMatch(/4111/);
    // The expiry next to the card is removed too (PCI DSS 3.3.1, issue 13).
    expect(msg.text).toMatch(
      /\[card visa \*\*\*\*1111 ref_[a-p]+\] scade \[expiry date removed\]$/,
    );
    expect(msg.redactions).toEqual([expect.objectContaining({ brand: 'visa', last4: '1111' })]);
  });

  it.each([
    [' STOP ', 'optout', 'STOP'],
    ['start', 'optin', 'START'],
    ['Help', 'help', 'HELP'],
  ])('classifies %j as %s and records the keyword', (body, kind, keyword) => {
    const msg = mapTwilioInbound(form({ Body: body }), ctx);
    expect(msg.kind).toBe(kind);
    expect(msg.meta?.keyword).toBe(keyword);
  });

  it('describes MMS media by reference', () => {
    const msg = mapTwilioInbound(
      form({
        NumMedia: '2',
        MediaUrl0: 'https://api.twilio.com/m/ME1',
        MediaContentType0: 'image/jpeg',
        MediaUrl1: 'https://api.twilio.com/m/ME2',
        MediaContentType1: 'application/pdf',
        Body: '',
      }),
      ctx,
    );
    expect(msg.attachments).toEqual([
      {
        kind: 'image',
        mimeType: 'image/jpeg',
        size: 0,
        sha256: null,
        ref: 'https://api.twilio.com/m/ME1',
      },
      {
        kind: 'document',
        mimeType: 'application/pdf',
        size: 0,
        sha256: null,
        ref: 'https://api.twilio.com/m/ME2',
      },
    ]);
    expect(msg.text).toBe('');
  });

  it('keeps the Messaging Service SID as metadata', () => {
    const mg = 'MG' + 'b'.repeat(32);
    expect(mapTwilioInbound(form({ MessagingServiceSid: mg }), ctx).meta).toEqual({
      numSegments: '1',
      messagingServiceSid: mg,
    });
  });

  it.each([
    ['MessageSid', { MessageSid: undefined }, "'MessageSid' is missing"],
    ['From', { From: '' }, "'From' is missing"],
    ['To', { To: undefined }, "'To' is missing"],
    ['a foreign MessageSid', { MessageSid: 'hello' }, "'MessageSid' is not a Twilio message SID"],
  ])('refuses a form without %s with a reason', (_label, over, reason) => {
    expect(() => mapTwilioInbound(form(over as FormParams), ctx)).toThrow(
      expect.objectContaining({ code: 'SMS.PAYLOAD_MALFORMED', message: reason }) as Error,
    );
  });

  it('refuses a From that is not a phone number', () => {
    expect(() => mapTwilioInbound(form({ From: '+1555' }), ctx)).toThrow(
      expect.objectContaining({ code: 'SMS.FROM_INVALID' }) as Error,
    );
  });
});
