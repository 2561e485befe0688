import { downloadHeaders, storedAttachmentId } from './attachment-download.mapper';

describe('attachment downloads', () => {
  it('knows which references we hold', () => {
    expect(storedAttachmentId('att:0b7c3f0e-2a4e-4f7a-9d55-1c1a2b3c4d5e')).toBe(
      '0b7c3f0e-2a4e-4f7a-9d55-1c1a2b3c4d5e',
    );
    expect(storedAttachmentId('tg:file:AgACAgQ')).toBeNull();
    expect(storedAttachmentId('att:../../etc/passwd')).toBeNull();
  });

  it('always downloads, with a safe file name', () => {
    const h = downloadHeaders('application/pdf', 'estratto "conto".pdf\r\nx: y', 1234);
    expect(h['content-disposition']).toBe(
      `attachment; filename="estratto _conto_.pdf__x_ y"; filename*=UTF-8''${encodeURIComponent('estratto "conto".pdf\r\nx: y')}`,
    );
    expect(h['content-type']).toBe('application/pdf');
    expect(downloadHeaders('text/html; charset=utf-8', null, 1)['content-type']).toBe(
      'application/octet-stream',
    );
  });
});
