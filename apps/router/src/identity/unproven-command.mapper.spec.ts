import { UNPROVEN_SENDER_TEXT, unprovenCommandOf } from './unproven-command.mapper';

const m = (
  text: string,
  kind: 'text' | 'optout' | 'optin' = 'text',
  meta?: Record<string, string>,
) => ({
  text,
  kind,
  ...(meta ? { meta } : {}),
});

describe('unprovenCommandOf', () => {
  it('reads link codes, OTP requests and explicit OTPs as link commands', () => {
    expect(unprovenCommandOf(m('LINK ABCD2345'))).toBe('link');
    expect(unprovenCommandOf(m('COLLEGA +39 347 123 4567'))).toBe('link');
    expect(unprovenCommandOf(m('LINK giulia.rossi@example.it'))).toBe('link');
    expect(unprovenCommandOf(m('CODICE 123456'))).toBe('link');
  });

  it('reads STOP/START as consent, whether the gateway kept the kind or noted it', () => {
    expect(unprovenCommandOf(m('STOP', 'optout'))).toBe('consent');
    expect(unprovenCommandOf(m('START', 'optin'))).toBe('consent');
    expect(unprovenCommandOf(m('STOP', 'text', { unprovenConsent: 'optout' }))).toBe('consent');
    expect(unprovenCommandOf(m('x', 'text', { unprovenConsent: 'other' }))).toBeNull();
  });

  it('leaves ordinary text and bare numbers alone', () => {
    expect(unprovenCommandOf(m('La mia carta è bloccata'))).toBeNull();
    expect(unprovenCommandOf(m('123456'))).toBeNull();
  });

  it('answers in Italian and English without naming anybody', () => {
    expect(UNPROVEN_SENDER_TEXT).toContain('non abbiamo collegato nulla');
    expect(UNPROVEN_SENDER_TEXT).toContain('nothing was linked');
  });
});
