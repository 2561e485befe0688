import { channelOfSubject, checkOpenedCard } from './sealed-card.mapper';
import { cardToken } from './card-token.mapper';

describe('sealed card checks', () => {
  it('takes the channel from the subject, and refuses a payload claiming another', () => {
    expect(channelOfSubject('card.v1.sealed.sms', 'sms')).toBe('sms');
    for (const [subject, claim] of [
      ['card.v1.sealed.sms', 'inapp'],
      ['card.v1.sealed.fax', 'fax'],
      ['card.v1.sealed', 'sms'],
      ['msg.in.v1.sms', 'sms'],
    ] as const) {
      let err: unknown;
      try {
        channelOfSubject(subject, claim);
      } catch (e) {
        err = e;
      }
      expect(err).toMatchObject({ code: 'VAULT.CHANNEL_MISMATCH', retryable: false });
    }
  });

  it('accepts only a Luhn-valid number whose brand and last four match the claim', () => {
    const claim = { brand: 'visa', last4: '1111' };
    expect(checkOpenedCard('4111111111111111', claim)).toEqual({
      pan: '4111111111111111',
      ...claim,
    });
    for (const opened of ['4111111111111112', 'hello', '41111111', '5555555555554444']) {
      let err: unknown;
      try {
        checkOpenedCard(opened, claim);
      } catch (e) {
        err = e;
      }
      expect(err).toMatchObject({ code: 'VAULT.CARD_INVALID' });
      expect((err as Error).message).not.toContain(opened);
    }
  });
});

describe('card tokens', () => {
  it('are stable per number and key, unrelated across keys, and never look like a number', () => {
    const key = 'k'.repeat(32);
    const a = cardToken(key, '4111111111111111');
    expect(a).toMatch(/^vtk_[a-p]{32}$/);
    expect(cardToken(key, '4111111111111111')).toBe(a);
    expect(cardToken(key, '5555555555554444')).not.toBe(a);
    expect(cardToken('o'.repeat(32), '4111111111111111')).not.toBe(a);
  });
});
