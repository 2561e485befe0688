import { register } from 'prom-client';
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

describe('card data in log lines (issue 13 items 3, 4)', () => {
  const capture = (write: (log: JsonLogger) => void): string[] => {
    const lines: string[] = [];
    const prev = setLogSink((l) => lines.push(l));
    try {
      write(new JsonLogger('test'));
    } finally {
      setLogSink(prev);
    }
    return lines;
  };

  it('takes a card written with line breaks, tabs, dots or other digits out of any string field', () => {
    const lines = capture((log) => {
      log.warn({
        msg: 'provider said',
        err: { message: 'bad value 4111\n1111\t1111\n1111' },
        detail: '٤١١١.١١١١.١١١١.١١١١',
        other: ['４１１１ １１１１ １１１１ １１１１'],
      });
    });
    expect(lines).toHaveLength(1);
    const entry = JSON.parse(lines[0]!) as { err: { message: string }; detail: string };
    expect(entry.err.message).toMatch(/^bad value \[card visa \*\*\*\*1111 ref_[a-p]{20}\]$/);
    expect(entry.detail).toMatch(/^\[card visa/);
    expect(lines[0]).not.toMatch(/4111|٤١١١|４１１１/);
  });

  it('removes security codes, PINs and expiry dates and counts what it took out', async () => {
    const before = await metricValue('security_code');
    const lines = capture((log) =>
      log.warn('retry for 4111 1111 1111 1111 cvv 123 exp 12/27, pin 9876'),
    );
    expect(lines[0]).not.toMatch(/123|12\/27|9876/);
    expect(lines[0]).toContain(
      'cvv [security code removed] exp [expiry date removed], pin [PIN removed]',
    );
    expect(await metricValue('security_code')).toBe(before + 1);
  });

  it('drops file names and contact cards whole', () => {
    expect(scrubLogFields({ filename: 'estratto conto.pdf', vCard: 'BEGIN:VCARD' })).toEqual({
      filename: REDACTED,
      vCard: REDACTED,
    });
  });
});

async function metricValue(kind: string): Promise<number> {
  const m = register.getSingleMetric('omnigate_log_redactions_total');
  const values = m ? (await m.get()).values : [];
  return values.find((v) => v.labels.kind === kind)?.value ?? 0;
}
