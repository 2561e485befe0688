import { mapTwilioStatus } from './twilio-status.mapper';

const SID = 'SM' + 'f'.repeat(32);

describe('mapTwilioStatus', () => {
  it.each([
    ['queued', 'queued'],
    ['sending', 'queued'],
    ['accepted', 'queued'],
    ['scheduled', 'queued'],
    ['sent', 'sent'],
    ['delivered', 'delivered'],
    ['read', 'read'],
  ])('maps %s to %s', (status, state) => {
    expect(
      mapTwilioStatus({ MessageSid: SID, MessageStatus: status, To: '+393471234567' }),
    ).toEqual({
      providerMessageId: SID,
      providerStatus: status,
      state,
      to: '+393471234567',
    });
  });

  it.each(['failed', 'undelivered'])(
    'maps %s to failed with the error code and a reason',
    (status) => {
      expect(
        mapTwilioStatus({ MessageSid: SID, MessageStatus: status, ErrorCode: '30003' }),
      ).toMatchObject({
        state: 'failed',
        providerErrorCode: '30003',
        error: { code: 'TWILIO.30003', reason: expect.stringContaining('unreachable') as unknown },
      });
    },
  );

  it('maps canceled and a failure without a code to failed with our own codes', () => {
    expect(mapTwilioStatus({ MessageSid: SID, MessageStatus: 'canceled' })?.error?.code).toBe(
      'SMS.CANCELED',
    );
    expect(mapTwilioStatus({ MessageSid: SID, MessageStatus: 'failed' })?.error?.code).toBe(
      'SMS.FAILED',
    );
  });

  it('falls back to SmsStatus and ignores statuses that do not concern an outbound SMS', () => {
    expect(mapTwilioStatus({ MessageSid: SID, SmsStatus: 'sent' })?.state).toBe('sent');
    expect(mapTwilioStatus({ MessageSid: SID, MessageStatus: 'received' })).toBeNull();
    expect(mapTwilioStatus({ MessageSid: SID, MessageStatus: 'partially_delivered' })).toBeNull();
    expect(mapTwilioStatus({ MessageSid: SID, MessageStatus: 'teleported' })).toBeNull();
  });

  it('refuses a callback without MessageSid or MessageStatus', () => {
    expect(() => mapTwilioStatus({ MessageStatus: 'sent' })).toThrow(
      expect.objectContaining({ code: 'SMS.PAYLOAD_MALFORMED' }) as Error,
    );
    expect(() => mapTwilioStatus({ MessageSid: SID })).toThrow(
      expect.objectContaining({
        code: 'SMS.PAYLOAD_MALFORMED',
        message: "'MessageStatus' is missing",
      }) as Error,
    );
  });
});
