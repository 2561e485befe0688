import {
  confirmsConsentOn,
  consentConfirmationKey,
  consentConfirmationText,
} from './consent-confirmation.mapper';

describe('consent confirmation', () => {
  it('answers STOP and START in Italian and English, saying how to undo it', () => {
    expect(consentConfirmationText('optout')).toMatch(
      /Non riceverai più.*START.*no longer receive.*START/,
    );
    expect(consentConfirmationText('optin')).toMatch(/riattivati.*STOP.*back on.*STOP/);
  });

  it('leaves SMS to the carrier’s own confirmation', () => {
    expect(confirmsConsentOn('sms')).toBe(false);
    expect(
      ['inapp', 'telegram', 'whatsapp', 'email'].every((c) => confirmsConsentOn(c as 'inapp')),
    ).toBe(true);
  });

  it('keys the confirmation on the keyword message', () => {
    expect(consentConfirmationKey('telegram', '123')).toBe('consent:telegram:123');
  });
});
