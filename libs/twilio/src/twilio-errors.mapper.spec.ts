import { classifyTwilioError, deliveryErrorOf } from './twilio-errors.mapper';

describe('classifyTwilioError (shared by SMS and WhatsApp)', () => {
  it('prefixes our own codes with the channel; Twilio codes stay TWILIO.<code>', () => {
    expect(classifyTwilioError({ status: 400, code: 21610 }, 'WHATSAPP')).toMatchObject({
      kind: 'opted_out',
      code: 'WHATSAPP.OPTED_OUT',
    });
    expect(classifyTwilioError({ status: null, code: null }, 'SMS').code).toBe(
      'SMS.PROVIDER_UNREACHABLE',
    );
    expect(classifyTwilioError({ status: 400, code: 63003 }, 'WHATSAPP')).toEqual({
      kind: 'rejected',
      code: 'TWILIO.63003',
      reason: 'The recipient is not a WhatsApp user (Twilio 63003)',
    });
  });

  it('rate limits (429, 63018) and 5xx are retried', () => {
    expect(classifyTwilioError({ status: 429, code: 20429 }, 'SMS').kind).toBe('retry');
    expect(classifyTwilioError({ status: 400, code: 63018 }, 'WHATSAPP').kind).toBe('retry');
    expect(classifyTwilioError({ status: 503, code: null }, 'WHATSAPP').kind).toBe('retry');
  });
});

describe('deliveryErrorOf', () => {
  it('names the 24-hour window failure of WhatsApp (63016)', () => {
    expect(deliveryErrorOf('63016', 'failed', 'WHATSAPP')).toEqual({
      code: 'TWILIO.63016',
      reason: expect.stringContaining('24-hour window') as unknown,
    });
    expect(deliveryErrorOf(undefined, 'canceled', 'WHATSAPP').code).toBe('WHATSAPP.CANCELED');
  });
});
