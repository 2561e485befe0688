import { toGraphMessage } from './cloud-outbound.mapper';

const base = {
  messageId: '0b6f0a4e-3c1d-4d55-9a59-0e2f3f0c9d11',
  to: '+393471234567',
  attachments: [],
};

describe('toGraphMessage', () => {
  it('text: recipient without +, no link preview, our id as biz_opaque_callback_data', () => {
    expect(toGraphMessage({ ...base, text: 'Ciao' })).toEqual({
      messaging_product: 'whatsapp',
      recipient_type: 'individual',
      to: '393471234567',
      biz_opaque_callback_data: base.messageId,
      type: 'text',
      text: { body: 'Ciao', preview_url: false },
    });
  });

  it('template: name, language and body parameters, instead of the text', () => {
    expect(
      toGraphMessage({
        ...base,
        text: 'x',
        template: { name: 'pratica_pronta', language: 'it', params: ['Giulia'] },
      }),
    ).toMatchObject({
      type: 'template',
      template: {
        name: 'pratica_pronta',
        language: { code: 'it' },
        components: [{ type: 'body', parameters: [{ type: 'text', text: 'Giulia' }] }],
      },
    });
  });

  it('media: a link or a media id, the text as caption (none for audio)', () => {
    const doc = {
      kind: 'document' as const,
      mimeType: 'application/pdf',
      size: 1,
      sha256: null,
      ref: 'https://cdn.example.it/e.pdf',
      filename: 'e.pdf',
    };
    expect(toGraphMessage({ ...base, text: 'Estratto', attachments: [doc] })).toMatchObject({
      type: 'document',
      document: { link: 'https://cdn.example.it/e.pdf', caption: 'Estratto', filename: 'e.pdf' },
    });
    const audio = {
      kind: 'audio' as const,
      mimeType: 'audio/ogg',
      size: 1,
      sha256: null,
      ref: 'whatsapp-cloud:media/42',
    };
    expect(toGraphMessage({ ...base, text: 'x', attachments: [audio] })).toMatchObject({
      type: 'audio',
      audio: { id: '42' },
    });
  });
});
