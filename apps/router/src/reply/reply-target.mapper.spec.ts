import { chooseReplyTarget } from './reply-target.mapper';

const conversation = { lastChannel: 'inapp' as const, lastAddress: 'app-giulia' };
const identity = (
  channel: string,
  address: string,
  status = 'linked',
  createdAt = new Date('2026-01-01T10:00:00Z'),
) => ({
  channel,
  address,
  status,
  createdAt,
});

describe('chooseReplyTarget', () => {
  it('defaults to the last channel and the address the customer wrote from', () => {
    expect(chooseReplyTarget({ requested: undefined, conversation, identities: [] })).toEqual({
      channel: 'inapp',
      address: 'app-giulia',
    });
  });

  it('uses the last address when the agent picks the last channel explicitly', () => {
    expect(
      chooseReplyTarget({
        requested: 'inapp',
        conversation,
        identities: [identity('inapp', 'app-other')],
      }),
    ).toEqual({
      channel: 'inapp',
      address: 'app-giulia',
    });
  });

  it("finds the customer's address on another channel", () => {
    const identities = [identity('inapp', 'app-giulia'), identity('sms', '+393471234567')];
    expect(chooseReplyTarget({ requested: 'sms', conversation, identities })).toEqual({
      channel: 'sms',
      address: '+393471234567',
    });
  });

  it('prefers a linked address to an unverified one, then the newest', () => {
    const identities = [
      identity('sms', '+393330000001', 'unverified', new Date('2026-03-01T00:00:00Z')),
      identity('sms', '+393330000002', 'linked', new Date('2026-01-01T00:00:00Z')),
      identity('sms', '+393330000003', 'linked', new Date('2026-02-01T00:00:00Z')),
      identity('sms', '+393330000004', 'revoked', new Date('2026-04-01T00:00:00Z')),
    ];
    expect(chooseReplyTarget({ requested: 'sms', conversation, identities })?.address).toBe(
      '+393330000003',
    );
  });

  it('answers null when the customer has no address on the chosen channel', () => {
    expect(
      chooseReplyTarget({
        requested: 'sms',
        conversation,
        identities: [identity('sms', '+393330000004', 'revoked')],
      }),
    ).toBeNull();
    expect(chooseReplyTarget({ requested: 'telegram', conversation, identities: [] })).toBeNull();
  });
});
