import { InboundMessageV1Schema } from '@omnigate/contracts';
import { toInboundMessage } from './inapp-inbound.mapper';

const principal = {
  sub: 'app-user-42',
  level: 'strong' as const,
  authenticatedAt: '2030-01-01T10:00:00.000Z',
  expiresAt: '2030-01-01T11:00:00.000Z',
  expiresAtMs: Date.parse('2030-01-01T11:00:00.000Z'),
};

describe('toInboundMessage', () => {
  it('builds a valid InboundMessage v1 keyed on user and clientMsgId', () => {
    const msg = toInboundMessage({
      id: '6f1c2a4e-8b7d-4c1e-9a3f-2b5d6e7f8a9b',
      now: new Date('2030-01-01T10:30:00.000Z'),
      principal,
      clientMsgId: 'c-1',
      text: 'ciao [card visa ****1111 ref_abc]',
      redactions: [{ token: 'ref_abc', brand: 'visa', last4: '1111' }],
      ourAddress: 'app',
    });
    expect(InboundMessageV1Schema.parse(msg)).toEqual(msg);
    expect(msg).toMatchObject({
      channel: 'inapp',
      providerMessageId: 'app-user-42:c-1',
      from: { address: 'app-user-42' },
      to: { address: 'app' },
      kind: 'text',
      meta: { clientMsgId: 'c-1' },
      auth: {
        method: 'app_jwt',
        level: 'strong',
        subject: 'app-user-42',
        expiresAt: principal.expiresAt,
      },
      occurredAt: '2030-01-01T10:30:00.000Z',
    });
  });

  it('classifies consent keywords with the shared Italian/English list', () => {
    const kindOf = (text: string) =>
      toInboundMessage({
        id: '6f1c2a4e-8b7d-4c1e-9a3f-2b5d6e7f8a9b',
        now: new Date('2030-01-01T10:30:00.000Z'),
        principal,
        clientMsgId: 'c-2',
        text,
        redactions: [],
        ourAddress: 'app',
      }).kind;
    expect(kindOf('Basta!')).toBe('optout');
    expect(kindOf('stop')).toBe('optout');
    expect(kindOf('START')).toBe('optin');
    expect(kindOf('aiuto')).toBe('help');
    expect(kindOf('basta con queste commissioni')).toBe('text');
  });
});
