import twilio from 'twilio';
import { twilioKeywordOf } from './twilio-keywords';
import { inboundWebhookParams, segmentsOf, statusCallbackParams } from './twilio-webhook.mapper';
import type { TwilioMessageRecord } from './twilio.types';

const ACCOUNT = 'AC' + 'a'.repeat(32);
const SID = 'SM' + 'b'.repeat(32);

describe('inboundWebhookParams', () => {
  it('builds Twilio’s inbound SMS form', () => {
    expect(
      inboundWebhookParams({
        accountSid: ACCOUNT,
        messageSid: SID,
        from: '+393471234567',
        to: '+14155550100',
        body: 'ciao',
      }),
    ).toEqual({
      ToCountry: 'US',
      ToState: '',
      SmsMessageSid: SID,
      NumMedia: '0',
      ToCity: '',
      FromZip: '',
      SmsSid: SID,
      FromState: '',
      SmsStatus: 'received',
      FromCity: '',
      Body: 'ciao',
      FromCountry: 'IT',
      To: '+14155550100',
      ToZip: '',
      NumSegments: '1',
      MessageSid: SID,
      AccountSid: ACCOUNT,
      From: '+393471234567',
      ApiVersion: '2010-04-01',
    });
  });

  it('adds MessagingServiceSid, and OptOutType for keywords (Advanced Opt-Out)', () => {
    const mg = 'MG' + 'c'.repeat(32);
    const p = inboundWebhookParams({
      accountSid: ACCOUNT,
      messageSid: SID,
      from: '+393471234567',
      to: '+14155550100',
      body: 'stop',
      messagingServiceSid: mg,
    });
    expect(p).toMatchObject({ MessagingServiceSid: mg, OptOutType: 'STOP' });
    expect(
      inboundWebhookParams({
        accountSid: ACCOUNT,
        messageSid: SID,
        from: '+393471234567',
        to: '+14155550100',
        body: 'stop',
      }).OptOutType,
    ).toBeUndefined();
  });

  it('is signed so that the SDK’s validateRequest accepts it', () => {
    const url = 'https://sms.example.com/webhooks/twilio/sms';
    const params = inboundWebhookParams({
      accountSid: ACCOUNT,
      messageSid: SID,
      from: '+393471234567',
      to: '+14155550100',
      body: 'àè & = ?',
    });
    const sig = twilio.getExpectedTwilioSignature('token-123456', url, params);
    expect(twilio.validateRequest('token-123456', sig, url, params)).toBe(true);
  });
});

describe('statusCallbackParams', () => {
  const record: TwilioMessageRecord = {
    sid: SID,
    accountSid: ACCOUNT,
    direction: 'outbound-api',
    from: '+390212345678',
    to: '+393471234567',
    body: 'x',
    status: 'sent',
    numSegments: 1,
    numMedia: 0,
    messagingServiceSid: null,
    statusCallback: 'https://x.example/s',
    errorCode: null,
    errorMessage: null,
    dateCreated: new Date('2026-03-04T05:06:07Z'),
    dateUpdated: new Date('2026-03-04T05:06:07Z'),
    dateSent: null,
  };

  it('has Twilio’s fields, without ErrorCode while all is well', () => {
    expect(statusCallbackParams(record, '+15017122661')).toEqual({
      AccountSid: ACCOUNT,
      ApiVersion: '2010-04-01',
      From: '+390212345678',
      MessageSid: SID,
      MessageStatus: 'sent',
      SmsSid: SID,
      SmsStatus: 'sent',
      To: '+393471234567',
    });
  });

  it('adds ErrorCode when undelivered, and the delivery-receipt date', () => {
    expect(
      statusCallbackParams({ ...record, status: 'undelivered', errorCode: 30003 }, '+1'),
    ).toMatchObject({
      ErrorCode: '30003',
      MessageStatus: 'undelivered',
      RawDlrDoneDate: '2603040506',
    });
  });

  it('uses the service number when the message had no From yet', () => {
    expect(
      statusCallbackParams(
        { ...record, from: null, messagingServiceSid: 'MG' + 'd'.repeat(32) },
        '+15017122661',
      ),
    ).toMatchObject({ From: '+15017122661' });
  });
});

describe('segmentsOf and the sandbox’s keyword list', () => {
  it('counts GSM-7 and UCS-2 segments like Twilio', () => {
    expect(segmentsOf('a'.repeat(160))).toBe(1);
    expect(segmentsOf('a'.repeat(161))).toBe(2);
    expect(segmentsOf('🙂'.repeat(35))).toBe(1);
    expect(segmentsOf('🙂'.repeat(36))).toBe(2);
  });

  it('matches Twilio’s keywords on the whole trimmed body only', () => {
    expect(twilioKeywordOf(' revoke ')).toEqual({ type: 'STOP', word: 'REVOKE' });
    expect(twilioKeywordOf('unstop')).toEqual({ type: 'START', word: 'UNSTOP' });
    expect(twilioKeywordOf('info')).toEqual({ type: 'HELP', word: 'INFO' });
    expect(twilioKeywordOf('stop it')).toBeNull();
  });
});
