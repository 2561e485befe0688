import { bounceOf, bounceReason, isDsn, maskAddresses } from './dsn.mapper';

const report = (action: string) =>
  Buffer.from(
    `Reporting-MTA: dns; mx.example.it\r\n\r\nFinal-Recipient: rfc822; giulia@example.it\r\nAction: ${action}\r\nStatus: 5.1.1\r\nDiagnostic-Code: smtp; 550 5.1.1 <giulia@example.it>: user unknown\r\n`,
  );
const original = Buffer.from(
  'From: support@bank.example\r\nMessage-ID: <abc@bank.example>\r\nSubject: Re: x\r\n',
);

describe('DSN mapping', () => {
  it('recognises a delivery status notification', () => {
    expect(isDsn('multipart/report', 'delivery-status')).toBe(true);
    expect(isDsn('multipart/report', 'disposition-notification')).toBe(false);
    expect(isDsn('multipart/mixed', undefined)).toBe(false);
  });

  it('finds our Message-ID and the reason, with the address masked', () => {
    const b = bounceOf(
      [
        { contentType: 'message/delivery-status', content: report('failed') },
        { contentType: 'text/rfc822-headers', content: original },
      ],
      null,
    );
    expect(b).toEqual({
      originalMessageId: '<abc@bank.example>',
      action: 'failed',
      status: '5.1.1',
      diagnostic: '550 5.1.1 <address>: user unknown',
    });
    expect(bounceReason(b!)).toBe(
      "The recipient's mail server returned the message (5.1.1): 550 5.1.1 <address>: user unknown",
    );
  });

  it('reads the report from the text when the parser inlined it (mailparser does)', () => {
    expect(
      bounceOf(
        [{ contentType: 'text/rfc822-headers', content: original }],
        null,
        report('failed').toString(),
      ),
    ).toMatchObject({ originalMessageId: '<abc@bank.example>', action: 'failed', status: '5.1.1' });
  });

  it('tells a delay from a failure and falls back to In-Reply-To', () => {
    expect(
      bounceOf(
        [{ contentType: 'message/delivery-status', content: report('delayed') }],
        '<x@bank.example>',
      ),
    ).toMatchObject({
      originalMessageId: '<x@bank.example>',
      action: 'delayed',
    });
    expect(bounceOf([], null)).toBeNull();
  });

  it('masks every address', () => {
    expect(maskAddresses('to a@b.it and <c@d.com>')).toBe('to <address> and <address>');
  });
});
