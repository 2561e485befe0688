import { PanRedactor } from '@omnigate/crypto';
import { InboundMessageV1Schema } from '@omnigate/contracts';
import { toInboundMessage } from './whatsapp-inbound.mapper';

const redactor = new PanRedactor();

describe('toInboundMessage', () => {
  it('makes a valid InboundMessage v1 on channel whatsapp: E.164 address, card numbers tokenised, provider in meta', () => {
    const msg = toInboundMessage(
      {
        providerMessageId: 'wamid.HBgM',
        from: '+393471234567',
        to: '+390212345678',
        displayName: 'Giulia Rossi',
        text: 'Carta 4111 1111 1111 1111 bloccata',
        attachments: [],
        meta: { type: 'text' },
      },
      {
        redact: (t) => redactor.redact(t),
        id: '0b6f0a4e-3c1d-4d55-9a59-0e2f3f0c9d11',
        now: new Date('2026-11-23T12:00:00Z'),
        provider: 'cloud',
      },
    );
    expect(InboundMessageV1Schema.parse(msg)).toEqual(msg);
    expect(msg).toMatchObject({
      channel: 'whatsapp',
      providerMessageId: 'wamid.HBgM',
      from: { address: '+393471234567', displayName: 'Giulia Rossi' },
      to: { address: '+390212345678' },
      kind: 'text',
      auth: { method: 'none', level: 'none' },
      meta: { provider: 'cloud', type: 'text' },
    });
    expect(msg.text).not.toContain('4111');
    expect(msg.redactions).toHaveLength(1);
  });

  it.each([
    ['STOP', 'optout'],
    ['Basta!', 'optout'],
    ['start', 'optin'],
    ['Stop the transfer please', 'text'],
  ])('classifies %j as %s (consent keywords, Italian and English)', (text, kind) => {
    const msg = toInboundMessage(
      {
        providerMessageId: 'wamid.k',
        from: '+393471234567',
        to: '+390212345678',
        text,
        attachments: [],
        meta: {},
      },
      {
        redact: (t) => redactor.redact(t),
        id: '0b6f0a4e-3c1d-4d55-9a59-0e2f3f0c9d12',
        now: new Date(),
        provider: 'cloud',
      },
    );
    expect(msg.kind).toBe(kind);
  });
});
