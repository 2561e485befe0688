import { simpleParser } from 'mailparser';
import { PanRedactor } from '@omnigate/crypto';
import { redactRawMail } from './quarantined-mail.mapper';

const redactor = new PanRedactor();
const redact = (t: string) => redactor.redact(t).text;
const CARD = /\[card visa \*\*\*\*1111 ref_[a-p]{20}\]/;
const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');

/** A multipart mail with the card in every encoded form (no From: the gateway quarantines it). */
function mail(): string {
  return [
    `Subject: =?UTF-8?Q?carta_4111_1111?= =?UTF-8?B?${b64(' 1111 1111 cvv 123')}?=`,
    'MIME-Version: 1.0',
    'Content-Type: multipart/mixed; boundary="b1"',
    '',
    '--b1',
    'Content-Type: text/plain; charset=utf-8',
    'Content-Transfer-Encoding: quoted-printable',
    '',
    'La mia carta =C3=A8 4111 1111 11=',
    '11 1111, scadenza 12/27.',
    '--b1',
    'Content-Type: text/html; charset=utf-8',
    'Content-Transfer-Encoding: base64',
    '',
    b64('<p>numero ４１１１.１１１１.１１１１.１１１１ PIN 9876</p>').replace(/(.{76})/g, '$1\r\n'),
    '--b1',
    'Content-Type: image/png',
    'Content-Transfer-Encoding: base64',
    '',
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 1, 2, 3, 0xff, 0xfe, 0, 0, 9, 8]).toString('base64') +
      'AAAAAAAAAAAA',
    '--b1--',
    '',
  ].join('\r\n');
}

describe('redactRawMail: card data out of every encoded part of a quarantined mail', () => {
  it('decodes subject words, quoted-printable and base64 text parts, and redacts each', async () => {
    const raw = Buffer.from(mail(), 'utf8');
    const out = redactRawMail(raw, redact);
    const parsed = await simpleParser(out);
    expect(parsed.subject).toMatch(
      new RegExp(`^carta ${CARD.source} cvv \\[security code removed\\]$`),
    );
    expect(parsed.text).toMatch(
      new RegExp(`^La mia carta è ${CARD.source}, scadenza \\[expiry date removed\\]\\.`),
    );
    expect(parsed.html).toMatch(new RegExp(`numero ${CARD.source} PIN \\[PIN removed\\]`));
    // What an operator's mail program shows has no card data in any form.
    const shown = [parsed.subject, parsed.text, parsed.html].join('\n');
    expect(shown).not.toMatch(/4111|４１１１|123|12\/27|9876/);
    // The image is left byte for byte.
    const original = await simpleParser(raw);
    expect(parsed.attachments[0]!.content.equals(original.attachments[0]!.content)).toBe(true);
  });

  it('redacts a mail that is no mail at all, as text', () => {
    const out = redactRawMail(Buffer.from('not a mail\r\ncard 4111 1111 1111 1111\r\n'), redact);
    expect(out.toString('utf8')).toMatch(new RegExp(`^not a mail\\r\\ncard ${CARD.source}\\r\\n$`));
  });

  it('returns the very bytes of a mail without card data', () => {
    const raw = Buffer.from('Subject: ciao\r\n\r\nnessun numero qui, ordine 12345\r\n');
    expect(redactRawMail(raw, redact)).toBe(raw);
  });

  it('keeps Latin-1 mail Latin-1', () => {
    const raw = Buffer.from(
      'Subject: caff\xe8\r\n\r\ncarta 4111-1111-1111-1111 cvv 321\r\n',
      'latin1',
    );
    const out = redactRawMail(raw, redact).toString('latin1');
    expect(out).toMatch(/^Subject: caff\xe8\r\n/);
    expect(out).not.toMatch(/4111-1111|321/);
  });
});
