import { classifyTwilioFailure, deliveryErrorOf } from './twilio-errors.mapper';

describe('classifyTwilioFailure', () => {
  it('21610 → opted out', () => {
    expect(classifyTwilioFailure({ status: 400, code: 21610 })).toMatchObject({
      kind: 'opted_out',
      code: 'SMS.OPTED_OUT',
    });
  });

  it.each([21211, 21614, 21408, 21617, 20003])('%s → rejected, with our own reason', (code) => {
    const e = classifyTwilioFailure({ status: code === 20003 ? 401 : 400, code });
    expect(e).toMatchObject({ kind: 'rejected', code: `TWILIO.${code}`, retryable: false });
    expect(e.reason).toContain(`(Twilio ${code})`);
    expect(e.reason).not.toMatch(/\+\d/); // never the recipient's number
  });

  it('an unknown 4xx is rejected too', () => {
    expect(classifyTwilioFailure({ status: 404, code: 20404 })).toMatchObject({
      kind: 'rejected',
      code: 'TWILIO.20404',
    });
    expect(classifyTwilioFailure({ status: 400, code: null })).toMatchObject({
      kind: 'rejected',
      code: 'TWILIO.400',
    });
  });

  it.each([429, 500, 502, 503])('HTTP %s → retry', (status) => {
    expect(classifyTwilioFailure({ status, code: 20429 })).toMatchObject({
      kind: 'retry',
      retryable: true,
    });
  });

  it('no answer at all (network) → retry', () => {
    expect(classifyTwilioFailure({ status: null, code: null })).toMatchObject({
      kind: 'retry',
      code: 'SMS.PROVIDER_UNREACHABLE',
    });
  });
});

describe('deliveryErrorOf', () => {
  it('names known delivery errors and keeps the Twilio code', () => {
    expect(deliveryErrorOf('30007', 'undelivered')).toEqual({
      code: 'TWILIO.30007',
      reason: expect.stringContaining('spam') as unknown,
    });
    expect(deliveryErrorOf('39999', 'failed')).toEqual({
      code: 'TWILIO.39999',
      reason: 'Twilio could not deliver the message (Twilio 39999)',
    });
  });
});
