import { TwilioApiError } from './twilio-api.errors';
import { isValidPhoneAddress, parseCreateMessage } from './twilio-request.mapper';
import type { FormBody } from './twilio.types';

function codeOf(form: FormBody): number | null {
  try {
    parseCreateMessage(form);
    return null;
  } catch (e) {
    if (e instanceof TwilioApiError) return e.code;
    throw e;
  }
}

describe('parseCreateMessage (Twilio’s validation of Create Message)', () => {
  const ok = { To: '+393471234567', From: '+390212345678', Body: 'ciao' };

  it('reads a valid form', () => {
    expect(parseCreateMessage({ ...ok, StatusCallback: 'https://x.example/s?mid=1' })).toEqual({
      to: '+393471234567',
      from: '+390212345678',
      messagingServiceSid: null,
      body: 'ciao',
      statusCallback: 'https://x.example/s?mid=1',
      mediaUrls: [],
    });
  });

  it('accepts a Messaging Service instead of From, and media without a body', () => {
    const r = parseCreateMessage({
      To: ok.To,
      MessagingServiceSid: 'MG' + 'a'.repeat(32),
      MediaUrl: ['https://m.example/1.jpg', 'https://m.example/2.jpg'],
    });
    expect(r).toMatchObject({
      from: null,
      body: '',
      mediaUrls: ['https://m.example/1.jpg', 'https://m.example/2.jpg'],
    });
  });

  it.each([
    ['no To', { From: ok.From, Body: 'x' }, 21604],
    ['no From nor MessagingServiceSid', { To: ok.To, Body: 'x' }, 21603],
    ['no Body and no media', { To: ok.To, From: ok.From }, 21602],
    ['an empty Body', { ...ok, Body: '' }, 21602],
    ['a body over 1600 characters', { ...ok, Body: 'a'.repeat(1601) }, 21617],
    ['a StatusCallback that is not a URL', { ...ok, StatusCallback: 'not a url' }, 21609],
    ['an invalid To', { ...ok, To: '+1555' }, 21211],
    ['a To without +', { ...ok, To: '3471234567' }, 21211],
  ])('refuses %s with %s', (_label, form, code) => {
    expect(codeOf(form)).toBe(code);
  });

  it('quotes the To in the 21211 message, as Twilio does', () => {
    expect(() => parseCreateMessage({ ...ok, To: '+1555' })).toThrow(
      "The 'To' number +1555 is not a valid phone number.",
    );
  });
});

describe('isValidPhoneAddress', () => {
  it('accepts E.164 numbers, with a channel prefix too', () => {
    expect(isValidPhoneAddress('+14155550100')).toBe(true);
    expect(isValidPhoneAddress('whatsapp:+393471234567')).toBe(true);
  });

  it('refuses invalid or national numbers', () => {
    expect(isValidPhoneAddress('+447700900123')).toBe(false);
    expect(isValidPhoneAddress('02 1234 5678')).toBe(false);
  });
});
