import { checkAttachment, refusedNote } from './attachment-policy.mapper';

const policy = { maxBytes: 1024, allowed: ['application/pdf', 'image/png', 'text/plain'] };
const PDF = Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.alloc(100, 0x20)]);

describe('checkAttachment', () => {
  it('accepts an allowed type whose content matches', () => {
    expect(
      checkAttachment(
        { filename: 'estratto.pdf', contentType: 'application/pdf', content: PDF },
        policy,
      ),
    ).toEqual({
      ok: true,
      mimeType: 'application/pdf',
      kind: 'document',
    });
    expect(
      checkAttachment(
        {
          filename: 'note.txt',
          contentType: 'text/plain; charset=utf-8',
          content: Buffer.from('ciao'),
        },
        policy,
      ),
    ).toMatchObject({ ok: true, mimeType: 'text/plain' });
  });

  it('refuses an oversized attachment with its size and the limit', () => {
    const v = checkAttachment(
      { filename: 'big.pdf', contentType: 'application/pdf', content: Buffer.alloc(2048) },
      { ...policy, maxBytes: 1024 },
    );
    expect(v).toEqual({
      ok: false,
      code: 'EMAIL.ATTACHMENT_TOO_LARGE',
      reason: '"big.pdf" is 2 KB, over the 1 KB limit',
    });
  });

  it('refuses a type outside the allow-list', () => {
    expect(
      checkAttachment(
        { filename: 'a.zip', contentType: 'application/zip', content: Buffer.from('PK\x03\x04') },
        policy,
      ),
    ).toEqual({
      ok: false,
      code: 'EMAIL.ATTACHMENT_FORBIDDEN',
      reason: '"a.zip" has type application/zip, which is not accepted',
    });
  });

  it('refuses content that does not match its declared type (magic bytes)', () => {
    expect(
      checkAttachment(
        {
          filename: 'invoice.pdf',
          contentType: 'application/pdf',
          content: Buffer.from('<html>phish</html>'),
        },
        policy,
      ),
    ).toMatchObject({
      ok: false,
      reason: '"invoice.pdf" claims to be application/pdf but its content is not',
    });
  });

  it('refuses executables whatever they claim to be', () => {
    expect(
      checkAttachment(
        { filename: 'photo.png', contentType: 'image/png', content: Buffer.from('MZ\x90\x00') },
        policy,
      ),
    ).toMatchObject({
      ok: false,
      code: 'EMAIL.ATTACHMENT_FORBIDDEN',
      reason: '"photo.png" is an executable file',
    });
    expect(
      checkAttachment(
        { filename: 'run.exe', contentType: 'text/plain', content: Buffer.from('hi') },
        policy,
      ),
    ).toMatchObject({ ok: false });
  });
});

describe('refusedNote', () => {
  it('is bilingual and lists every reason; empty when nothing was refused', () => {
    expect(refusedNote(['"a.zip" has type application/zip, which is not accepted'])).toBe(
      '[Allegati rifiutati / Attachments refused: 1]\n- "a.zip" has type application/zip, which is not accepted',
    );
    expect(refusedNote([])).toBe('');
  });
});
