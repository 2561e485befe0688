import { JsonLogger, setLogSink } from './logger';
import { REDACTED, maskPersonalText, scrubLogFields } from './log-scrubber';

describe('maskPersonalText', () => {
  it.each([
    ['from +393471234567 today', 'from [phone] today'],
    ['call +39 347 123 4567', 'call [phone]'],
    ['whatsapp:+447700900123', 'whatsapp:[phone]'],
    ['numero 3471234567.', 'numero [phone].'],
    ['write to mario.rossi+bank@example.co.uk now', 'write to [email] now'],
  ])('masks %j', (input, expected) => {
    expect(maskPersonalText(input)).toBe(expected);
  });

  it.each([
    'SM0123456789abcdef0123456789abcdef',
    '550e8400-e29b-41d4-a716-446655440000',
    '2026-11-23T11:25:00.123Z',
    'msg.in.v1.sms',
    'BUS.UNAVAILABLE',
    '127.0.0.1:4222',
    'seq 42 of 1000',
  ])('keeps ids, codes, times and addresses of servers: %j', (input) => {
    expect(maskPersonalText(input)).toBe(input);
  });
});

describe('scrubLogFields', () => {
  it('drops body, sender and recipient fields at any depth, keeping the keys', () => {
    expect(
      scrubLogFields({
        msg: 'sms inbound published',
        providerMessageId: 'SM0123',
        Body: 'La mia carta è bloccata',
        From: '+393471234567',
        nested: { to: { address: '+39021234' }, text: 'ciao', displayName: 'Mario Rossi' },
        list: [{ email: 'a@b.it' }],
        seq: 12,
      }),
    ).toEqual({
      msg: 'sms inbound published',
      providerMessageId: 'SM0123',
      Body: REDACTED,
      From: REDACTED,
      nested: { to: REDACTED, text: REDACTED, displayName: REDACTED },
      list: [{ email: REDACTED }],
      seq: 12,
    });
  });

  it('masks personal data inside other strings (an error message quoting a number)', () => {
    expect(
      scrubLogFields({ err: { message: "The 'To' number +393471234567 is not valid" } }),
    ).toEqual({ err: { message: "The 'To' number [phone] is not valid" } });
  });
});

describe('JsonLogger', () => {
  it('writes lines without personal data or card numbers', () => {
    const lines: string[] = [];
    const prev = setLogSink((l) => lines.push(l));
    try {
      const log = new JsonLogger('test');
      log.log({ msg: 'received', text: 'carta 4111 1111 1111 1111', from: '+393471234567' });
      log.warn('customer +393471234567 wrote mario@example.com about 4111111111111111');
      log.error(new Error('send to +447700900123 failed'));
    } finally {
      setLogSink(prev);
    }
    const all = lines.join('\n');
    expect(lines).toHaveLength(3);
    expect(all).not.toMatch(/3471234567|447700900123|mario@example\.com|4111/);
    expect(JSON.parse(lines[0] ?? '{}')).toMatchObject({ msg: 'received', text: REDACTED });
  });
});
