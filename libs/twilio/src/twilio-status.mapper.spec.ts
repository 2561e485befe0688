import { mapTwilioStatus } from './twilio-status.mapper';

const SID = 'SM' + 'c'.repeat(32);

describe('mapTwilioStatus (shared)', () => {
  it('maps WhatsApp statuses including read, keeping the whatsapp: recipient', () => {
    expect(
      mapTwilioStatus(
        { MessageSid: SID, MessageStatus: 'read', To: 'whatsapp:+393471234567' },
        'WHATSAPP',
      ),
    ).toEqual({
      providerMessageId: SID,
      providerStatus: 'read',
      state: 'read',
      to: 'whatsapp:+393471234567',
    });
  });

  it('malformed callbacks carry the channel’s code', () => {
    expect(() => mapTwilioStatus({ MessageStatus: 'sent' }, 'WHATSAPP')).toThrow(
      expect.objectContaining({ code: 'WHATSAPP.PAYLOAD_MALFORMED' }) as Error,
    );
  });
});
