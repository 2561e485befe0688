import {
  fromTwilioWhatsApp,
  mapTwilioWhatsAppInbound,
  toTwilioWhatsApp,
} from './twilio-whatsapp.mapper';

const SID = 'SM' + 'a1'.repeat(16);

describe('Twilio WhatsApp addresses', () => {
  it('strips and adds the whatsapp: prefix', () => {
    expect(fromTwilioWhatsApp('whatsapp:+393471234567')).toBe('+393471234567');
    expect(fromTwilioWhatsApp('+393471234567')).toBeNull();
    expect(fromTwilioWhatsApp('whatsapp:393471234567')).toBeNull();
    expect(toTwilioWhatsApp('+393471234567')).toBe('whatsapp:+393471234567');
  });
});

describe('mapTwilioWhatsAppInbound', () => {
  it('maps the webhook form: E.164 sender, profile name, media by Twilio URL', () => {
    expect(
      mapTwilioWhatsAppInbound({
        MessageSid: SID,
        From: 'whatsapp:+393471234567',
        To: 'whatsapp:+390212345678',
        Body: 'Ciao',
        ProfileName: 'Giulia',
        WaId: '393471234567',
        NumMedia: '1',
        MediaUrl0: 'https://api.twilio.com/2010-04-01/Accounts/AC1/Messages/MM1/Media/ME1',
        MediaContentType0: 'image/jpeg',
      }),
    ).toEqual({
      providerMessageId: SID,
      from: '+393471234567',
      to: '+390212345678',
      displayName: 'Giulia',
      text: 'Ciao',
      attachments: [
        {
          kind: 'image',
          mimeType: 'image/jpeg',
          size: 0,
          sha256: null,
          ref: 'https://api.twilio.com/2010-04-01/Accounts/AC1/Messages/MM1/Media/ME1',
        },
      ],
    });
  });

  it('refuses an SMS sender or a missing MessageSid', () => {
    expect(() =>
      mapTwilioWhatsAppInbound({ MessageSid: SID, From: '+393471234567', To: 'x' }),
    ).toThrow(expect.objectContaining({ code: 'WHATSAPP.PAYLOAD_MALFORMED' }) as Error);
    expect(() => mapTwilioWhatsAppInbound({ From: 'whatsapp:+393471234567', To: 'x' })).toThrow(
      "'MessageSid' is missing",
    );
  });
});
