import {
  LINK_CODE_ALPHABET,
  generateLinkCode,
  generateOtp,
  hashCode,
  linkDeepLinks,
  parseIdentityCommand,
  recentAttempts,
} from './link-code.mapper';

describe('parseIdentityCommand', () => {
  it.each([
    ['LINK ABCD2345', 'ABCD2345'],
    ['link abcd2345', 'ABCD2345'],
    ['  COLLEGA  AbCd2345 ', 'ABCD2345'],
    ['/start link_ABCD2345', 'ABCD2345'],
    ['/start@OmnigateBot link_abcd2345', 'ABCD2345'],
  ])('reads a link code in %j', (text, code) => {
    expect(parseIdentityCommand(text)).toEqual({ kind: 'link_code', code });
  });

  it('reads a request for an OTP to a phone (spaces allowed) or an email', () => {
    expect(parseIdentityCommand('COLLEGA +39 347 123 4567')).toEqual({
      kind: 'otp_request',
      target: { type: 'phone', e164: '+393471234567' },
    });
    expect(parseIdentityCommand('LINK Giulia.Rossi@Example.it')).toEqual({
      kind: 'otp_request',
      target: { type: 'email', email: 'giulia.rossi@example.it' },
    });
  });

  it('reads a typed OTP, bare or after a keyword', () => {
    expect(parseIdentityCommand('123456')).toEqual({
      kind: 'otp_code',
      code: '123456',
      explicit: false,
    });
    expect(parseIdentityCommand('codice 012345')).toEqual({
      kind: 'otp_code',
      code: '012345',
      explicit: true,
    });
    expect(parseIdentityCommand('LINK 654321')).toEqual({
      kind: 'otp_code',
      code: '654321',
      explicit: true,
    });
  });

  it.each([
    'mi hanno clonato la carta',
    'LINK',
    'LINK ABC',
    'LINK ABCD23456',
    'please LINK ABCD2345',
    '/start',
    '/start link_ABC',
    'LINK +39abc',
    'LINK +0123',
    '1234567',
    '12345',
    'LINK not-an-email',
  ])('ignores %j', (text) => {
    expect(parseIdentityCommand(text)).toBeNull();
  });

  it('ignores no text and very long text', () => {
    expect(parseIdentityCommand(undefined)).toBeNull();
    expect(parseIdentityCommand(`LINK ${'A'.repeat(400)}`)).toBeNull();
  });
});

describe('generateLinkCode / generateOtp', () => {
  it('makes 8 characters of the unambiguous alphabet', () => {
    for (let i = 0; i < 50; i++) {
      const code = generateLinkCode();
      expect(code).toMatch(/^[A-Z2-9]{8}$/);
      expect([...code].every((c) => LINK_CODE_ALPHABET.includes(c))).toBe(true);
    }
    expect(LINK_CODE_ALPHABET).not.toMatch(/[01OIL]/);
  });

  it('round-trips a generated code through the parser', () => {
    const code = generateLinkCode();
    expect(parseIdentityCommand(`LINK ${code.toLowerCase()}`)).toEqual({ kind: 'link_code', code });
  });

  it('makes a 6-digit OTP with leading zeros kept', () => {
    expect(generateOtp(() => 42)).toBe('000042');
    expect(generateOtp()).toMatch(/^\d{6}$/);
  });
});

describe('hashCode', () => {
  it('is keyed, kind-bound and case-insensitive, and never the code itself', () => {
    const h = hashCode('k'.repeat(16), 'link', 'ABCD2345');
    expect(h).toMatch(/^[0-9a-f]{64}$/);
    expect(h).not.toContain('ABCD2345');
    expect(hashCode('k'.repeat(16), 'link', 'abcd2345')).toBe(h);
    expect(hashCode('x'.repeat(16), 'link', 'ABCD2345')).not.toBe(h);
    expect(hashCode('k'.repeat(16), 'otp', 'ABCD2345')).not.toBe(h);
  });
});

describe('linkDeepLinks', () => {
  it('builds Telegram and WhatsApp links only for configured addresses', () => {
    expect(
      linkDeepLinks('ABCD2345', { telegramBot: 'OmnigateBot', whatsappNumber: '+390212345678' }),
    ).toEqual({
      telegram: 'https://t.me/OmnigateBot?start=link_ABCD2345',
      whatsapp: 'https://wa.me/390212345678?text=LINK%20ABCD2345',
    });
    expect(linkDeepLinks('ABCD2345', {})).toEqual({});
  });
});

describe('recentAttempts', () => {
  it('keeps only the attempts inside the window', () => {
    expect(recentAttempts([1000, 5000, 9000, 9500], 10_000, 5000)).toEqual([9000, 9500]);
    expect(recentAttempts([], 10_000, 5000)).toEqual([]);
  });
});
