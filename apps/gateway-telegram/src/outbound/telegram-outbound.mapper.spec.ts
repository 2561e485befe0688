import { randomUUID } from 'node:crypto';
import { OUTBOUND_MESSAGE_V1 } from '@omnigate/contracts';
import type { AttachmentRef, OutboundMessageV1 } from '@omnigate/contracts';
import { MAX_CAPTION, toSendSteps } from './telegram-outbound.mapper';

function msg(text: string, attachments: AttachmentRef[] = []): OutboundMessageV1 {
  return {
    type: OUTBOUND_MESSAGE_V1,
    version: 1,
    id: randomUUID(),
    occurredAt: new Date().toISOString(),
    channel: 'telegram',
    conversationId: randomUUID(),
    messageId: randomUUID(),
    seq: 1,
    to: { address: '42' },
    text,
    attachments,
    author: { kind: 'agent', id: 'alice' },
    purpose: 'service',
  };
}
const att = (kind: AttachmentRef['kind'], ref: string): AttachmentRef => ({
  kind,
  mimeType: kind === 'image' ? 'image/jpeg' : 'application/pdf',
  size: 0,
  sha256: null,
  ref,
});

describe('toSendSteps', () => {
  it('sends a text alone as one sendMessage', () => {
    expect(toSendSteps(msg('ciao'))).toEqual([{ type: 'text', text: 'ciao' }]);
  });

  it('puts the text as the first media caption; images as photos, the rest as documents', () => {
    expect(
      toSendSteps(
        msg('eccoli', [att('image', 'telegram:file:F1'), att('document', 'https://x.it/a.pdf')]),
      ),
    ).toEqual([
      { type: 'media', media: { kind: 'photo', source: 'F1' }, caption: 'eccoli' },
      { type: 'media', media: { kind: 'document', source: 'https://x.it/a.pdf' }, caption: '' },
    ]);
  });

  it('sends a text too long for a caption first, on its own', () => {
    const long = 'a'.repeat(MAX_CAPTION + 1);
    expect(toSendSteps(msg(long, [att('image', 'telegram:file:F1')]))).toEqual([
      { type: 'text', text: long },
      { type: 'media', media: { kind: 'photo', source: 'F1' }, caption: '' },
    ]);
  });

  it('leaves out attachments Telegram cannot fetch (object-store keys)', () => {
    expect(toSendSteps(msg('solo testo', [att('document', 's3://bucket/key')]))).toEqual([
      { type: 'text', text: 'solo testo' },
    ]);
  });
});
