import { carriesCustomer, footprintOf, kvEntriesOf } from './bus-footprint.mapper';

const HER = {
  customerId: '00000000-0000-4000-8000-000000000001',
  addresses: [
    { channel: 'sms', address: '+393471234567' },
    { channel: 'email', address: 'Giulia.Rossi@example.it' },
  ],
  names: ['Giulia Rossi'],
  conversationIds: ['00000000-0000-4000-8000-0000000000c1'],
  messageIds: ['00000000-0000-4000-8000-0000000000a1'],
  cardRefs: ['ref_abcdefghijklmnopabcd'],
};
const f = footprintOf(HER);
const j = (v: unknown) => JSON.stringify(v);

describe('carriesCustomer: which stored bus messages are hers', () => {
  it('finds her inbound by her address on its channel (email in any case), not on another channel', () => {
    const inbound = (channel: string, address: string) =>
      j({ channel, from: { address }, text: 'ciao', auth: { method: 'none' } });
    expect(carriesCustomer(f, 'MSG_IN', 'msg.in.v1.sms', inbound('sms', '+393471234567'))).toBe(
      true,
    );
    expect(
      carriesCustomer(f, 'MSG_IN', 'msg.in.v1.email', inbound('email', 'giulia.rossi@EXAMPLE.it')),
    ).toBe(true);
    // The subject's channel is believed, not the payload's: her phone on WhatsApp is another party.
    expect(
      carriesCustomer(f, 'MSG_IN', 'msg.in.v1.whatsapp', inbound('sms', '+393471234567')),
    ).toBe(false);
    // Another customer quoting her number is not her message.
    expect(
      carriesCustomer(
        f,
        'MSG_IN',
        'msg.in.v1.sms',
        j({ from: { address: '+390000000001' }, text: 'call +393471234567' }),
      ),
    ).toBe(false);
  });

  it('finds outbound, statuses, events, sealed cards and consent events by her ids', () => {
    const conv = HER.conversationIds[0];
    const msg = HER.messageIds[0];
    const other = '00000000-0000-4000-8000-0000000000ff';
    expect(carriesCustomer(f, 'MSG_OUT', 'msg.out.v1.sms', j({ conversationId: conv }))).toBe(true);
    expect(
      carriesCustomer(
        f,
        'MSG_OUT',
        'msg.out.v1.sms',
        j({ conversationId: other, messageId: other, to: { address: '+393471234567' } }),
      ),
    ).toBe(true);
    expect(
      carriesCustomer(f, 'MSG_OUT', 'msg.out.v1.sms', j({ conversationId: other, to: {} })),
    ).toBe(false);
    expect(carriesCustomer(f, 'MSG_STATUS', 'msg.status.v1.sms', j({ messageId: msg }))).toBe(true);
    expect(carriesCustomer(f, 'MSG_STATUS', 'msg.status.v1.sms', j({ messageId: other }))).toBe(
      false,
    );
    expect(
      carriesCustomer(f, 'CONV_EVENTS', `conv.v1.${conv}.event`, j({ conversationId: conv })),
    ).toBe(true);
    expect(
      carriesCustomer(f, 'CARDS', 'card.v1.sealed.sms', j({ ref: 'ref_abcdefghijklmnopabcd' })),
    ).toBe(true);
    expect(
      carriesCustomer(f, 'CARDS', 'card.v1.sealed.sms', j({ ref: 'ref_pppppppppppppppppppp' })),
    ).toBe(false);
    expect(
      carriesCustomer(
        f,
        'CONSENT_EVENTS',
        'consent.v1.changed.sms',
        j({ channel: 'sms', addresses: ['+390000000001', '+393471234567'] }),
      ),
    ).toBe(true);
  });

  it('judges a dead letter by the message it holds; text that is not JSON by her addresses', () => {
    const dead = (stream: string, subject: string, payload: string) =>
      j({ stream, subject, payload, error: { code: 'X', message: 'y' } });
    const hers = j({ from: { address: '+393471234567' } });
    expect(
      carriesCustomer(f, 'DLQ', 'dlq.v1.msg_in.router', dead('MSG_IN', 'msg.in.v1.sms', hers)),
    ).toBe(true);
    expect(
      carriesCustomer(f, 'DLQ', 'dlq.v1.msg_in.router', dead('MSG_IN', 'msg.in.v1.telegram', hers)),
    ).toBe(false);
    expect(
      carriesCustomer(
        f,
        'DLQ',
        'dlq.v1.x.y',
        dead('EMAIL_INBOUND', 'x', 'From: Giulia.Rossi@example.it'),
      ),
    ).toBe(true);
    expect(carriesCustomer(f, 'DLQ', 'dlq.v1.x.y', 'not json, giulia.rossi@example.it')).toBe(true);
    expect(carriesCustomer(f, 'DLQ', 'dlq.v1.x.y', 'not json, nobody')).toBe(false);
  });
});

describe('kvEntriesOf: gateway KV keys that are her address', () => {
  it('names her WhatsApp number in the 24-hour window bucket, escaped as the KV store writes keys', () => {
    const withWhatsApp = {
      ...HER,
      addresses: [...HER.addresses, { channel: 'whatsapp', address: '+393471234567' }],
    };
    expect(kvEntriesOf(withWhatsApp)).toEqual([
      { stream: 'KV_whatsapp_window', subject: '$KV.whatsapp_window._2b393471234567' },
    ]);
    // No WhatsApp address, nothing to purge; opt-out lists are never named (suppression stays).
    expect(kvEntriesOf(HER)).toEqual([]);
  });
});
