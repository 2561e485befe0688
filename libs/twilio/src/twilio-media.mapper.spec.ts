import { mediaKindOf, twilioMediaOf } from './twilio-media.mapper';

describe('twilioMediaOf', () => {
  it('describes each medium by its Twilio URL, at most 10, skipping one without a URL', () => {
    const form: Record<string, unknown> = { NumMedia: '12' };
    for (let i = 0; i < 12; i++) {
      form[`MediaUrl${i}`] = i === 1 ? undefined : `https://api.twilio.com/m/${i}`;
      form[`MediaContentType${i}`] = i === 0 ? 'image/jpeg' : undefined;
    }
    const media = twilioMediaOf(form);
    expect(media).toHaveLength(9);
    expect(media[0]).toEqual({
      kind: 'image',
      mimeType: 'image/jpeg',
      size: 0,
      sha256: null,
      ref: 'https://api.twilio.com/m/0',
    });
    expect(media[1]).toMatchObject({ kind: 'other', mimeType: 'application/octet-stream' });
    expect(twilioMediaOf({ NumMedia: 'x' })).toEqual([]);
  });

  it('reads a MIME type as a kind', () => {
    expect(
      ['audio/ogg', 'video/mp4', 'application/pdf', 'text/vcard', 'application/zip'].map(
        mediaKindOf,
      ),
    ).toEqual(['audio', 'video', 'document', 'document', 'other']);
  });
});
