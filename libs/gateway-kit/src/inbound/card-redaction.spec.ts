import { InboundMessageV1Schema } from '@omnigate/contracts';
import { PanRedactor } from '@omnigate/crypto';
import { containsPan, inboundMessage } from '@omnigate/testing';
import { CardRedaction } from './card-redaction';

const PAN = '4111111111111111';
const CARD = /\[card visa \*\*\*\*1111 ref_[a-p]{20}\]/;

describe('CardRedaction.envelope: every free-text field of the inbound envelope', () => {
  it('redacts the fields beside the text that a mapper passed through as they came', () => {
    const cards = new CardRedaction(new PanRedactor());
    const mapped = inboundMessage({
      from: { address: '+393471234567', displayName: 'Mario 4111 1111 1111 1111 cvv 123' },
      text: 'carta 5555.5555.5555.4444 scadenza 12/27',
      attachments: [
        {
          kind: 'document',
          mimeType: 'application/pdf',
          size: 10,
          sha256: null,
          ref: 'obj:1',
          filename: 'carta_4111_1111_1111_1111_exp_09-28.pdf',
        },
      ],
      meta: {
        subject: 'la mia carta ４１１１ １１１１ １１１１ １１１１ pin 1234',
        caption: 'foto 4111\u00a01111\u00a01111\u00a01111',
        phoneNumberId: '4111111111111111',
        threadConversationId: '12345678-1234-4123-8123-123456789012',
      },
    });
    const out = cards.envelope(mapped);

    expect(InboundMessageV1Schema.parse(out)).toEqual(out);
    expect(out.text).toMatch(
      /^carta \[card mastercard \*\*\*\*4444 ref_[a-p]{20}\] scadenza \[expiry date removed\]$/,
    );
    expect(out.from.displayName).toMatch(
      new RegExp(`^Mario ${CARD.source} cvv \\[security code removed\\]$`),
    );
    expect(out.attachments[0]!.filename).toMatch(
      new RegExp(`^carta_${CARD.source}_exp_\\[expiry date removed\\]\\.pdf$`),
    );
    expect(out.meta!.subject).toMatch(
      new RegExp(`^la mia carta ${CARD.source} pin \\[PIN removed\\]$`),
    );
    expect(out.meta!.caption).toMatch(new RegExp(`^foto ${CARD.source}$`));
    // Identifiers a consumer matches byte for byte are left alone.
    expect(out.meta!.phoneNumberId).toBe(mapped.meta!.phoneNumberId);
    expect(out.meta!.threadConversationId).toBe(mapped.meta!.threadConversationId);

    // The text's card is listed; the cards of the fields beside it are sealed too.
    expect(out.redactions.map((r) => r.last4)).toEqual(['4444']);
    const sealed = cards.toSeal(out);
    expect(sealed.map((c) => c.last4).sort()).toEqual(['1111', '1111', '1111', '1111', '4444']);
    for (const c of sealed) expect(JSON.stringify(out)).toContain(c.token);
    expect(cards.removed.sort()).toEqual(['expiry', 'expiry', 'pin', 'security_code']);
    const { phoneNumberId: _id, ...rest } = out.meta!;
    expect(containsPan(JSON.stringify({ ...out, meta: rest }), PAN)).toBe(false);
  });

  it('leaves a message the mapper already redacted as it was, finding nothing twice', () => {
    const cards = new CardRedaction(new PanRedactor());
    const first = cards.redact('4111 1111 1111 1111 cvv 123');
    const mapped = inboundMessage({
      from: { address: '+393471234567', displayName: 'Mario Rossi' },
      text: first.text,
      redactions: first.redactions,
      meta: { provider: 'cloud' },
    });
    expect(cards.envelope(mapped)).toEqual(mapped);
    expect(cards.found).toHaveLength(1);
    expect(cards.removed).toEqual(['security_code']);
  });

  it('keeps each field within the contract when a reference is longer than the number', () => {
    const cards = new CardRedaction(new PanRedactor());
    const name = 'x'.repeat(180) + ' 4111111111111111';
    const out = cards.envelope(
      inboundMessage({ from: { address: '+393471234567', displayName: name } }),
    );
    expect(out.from.displayName!.length).toBe(200);
    expect(out.from.displayName).not.toContain('4111111111111111');
    expect(() => InboundMessageV1Schema.parse(out)).not.toThrow();
  });
});
