import { assuranceFromClaims } from './assurance.mapper';

describe('assuranceFromClaims', () => {
  it('is an app session without amr or acr', () => {
    expect(assuranceFromClaims({})).toBe('app_session');
  });

  it.each([['face'], ['fpt'], ['hwk'], ['mfa'], ['FACE']])(
    'is strong when amr includes %s',
    (m) => {
      expect(assuranceFromClaims({ amr: ['pwd', m] })).toBe('strong');
    },
  );

  it('stays an app session for weak factors only', () => {
    expect(assuranceFromClaims({ amr: ['pwd', 'pin', 'otp'] })).toBe('app_session');
  });

  it.each([
    ['mfa'],
    ['aal2'],
    ['AAL3'],
    ['phr'],
    ['http://schemas.openid.net/pape/policies/2007/06/multi-factor'],
  ])('is strong when acr is %s', (acr) => {
    expect(assuranceFromClaims({ acr })).toBe('strong');
  });

  it('ignores unknown acr values and malformed claims', () => {
    expect(assuranceFromClaims({ acr: 'urn:bank:loa1' })).toBe('app_session');
    expect(assuranceFromClaims({ amr: 'face', acr: 3 })).toBe('app_session');
    expect(assuranceFromClaims({ amr: [7, null] })).toBe('app_session');
  });
});
