import type { InboundMessageV1 } from '@omnigate/contracts';
import { bankConfirms, isProofEvent, proofOf } from './identity-proof.mapper';

type Msg = Pick<InboundMessageV1, 'channel' | 'from' | 'auth'>;
const none: Msg['auth'] = { method: 'none', level: 'none' };
const jwt = (subject: string): Msg['auth'] => ({
  method: 'app_jwt',
  level: 'app_session',
  subject,
});

describe('proofOf', () => {
  it('treats an SMS sender number as possession of that phone', () => {
    expect(proofOf({ channel: 'sms', from: { address: '+393471234567' }, auth: none })).toEqual({
      kind: 'bank_verified_phone',
      e164: '+393471234567',
      assurance: 'possession',
    });
  });

  it('gives no proof for an SMS address that is not E.164 (short codes, alphanumeric senders)', () => {
    expect(proofOf({ channel: 'sms', from: { address: '3471234567' }, auth: none })).toBeNull();
    expect(proofOf({ channel: 'sms', from: { address: 'BANCA' }, auth: none })).toBeNull();
  });

  it('treats an in-app message with the app JWT as an app session of its subject', () => {
    expect(
      proofOf({ channel: 'inapp', from: { address: 'app-giulia' }, auth: jwt('app-giulia') }),
    ).toEqual({
      kind: 'app_jwt',
      appUserId: 'app-giulia',
      assurance: 'app_session',
    });
  });

  it('gives no proof when the JWT subject is not the address, or there is no JWT', () => {
    expect(
      proofOf({ channel: 'inapp', from: { address: 'app-giulia' }, auth: jwt('app-marco') }),
    ).toBeNull();
    expect(proofOf({ channel: 'inapp', from: { address: 'app-giulia' }, auth: none })).toBeNull();
  });

  it('treats a Telegram contact the provider verified as possession of that phone', () => {
    const verified = (subject?: string): Msg['auth'] => ({
      method: 'provider_verified_phone',
      level: 'possession',
      ...(subject === undefined ? {} : { subject }),
    });
    expect(
      proofOf({
        channel: 'telegram',
        from: { address: '777000111' },
        auth: verified('+393471234567'),
      }),
    ).toEqual({ kind: 'bank_verified_phone', e164: '+393471234567', assurance: 'possession' });
    // No subject, or a subject that is not E.164: no proof.
    expect(
      proofOf({ channel: 'telegram', from: { address: '777000111' }, auth: verified() }),
    ).toBeNull();
    expect(
      proofOf({
        channel: 'telegram',
        from: { address: '777000111' },
        auth: verified('3471234567'),
      }),
    ).toBeNull();
    // Only the Telegram gateway vouches with this method.
    expect(
      proofOf({ channel: 'email', from: { address: 'a@b.it' }, auth: verified('+393471234567') }),
    ).toBeNull();
  });

  it('treats an email whose From passed DMARC as possession of that address', () => {
    const dmarc = (subject: string): Msg['auth'] => ({
      method: 'email_dmarc',
      level: 'none',
      subject,
    });
    expect(
      proofOf({
        channel: 'email',
        from: { address: 'Giulia.Rossi@example.it' },
        auth: dmarc('giulia.rossi@example.it'),
      }),
    ).toEqual({
      kind: 'bank_verified_email',
      email: 'giulia.rossi@example.it',
      assurance: 'possession',
    });
  });

  it('gives no proof for an email that failed DMARC or whose proven address is another one', () => {
    expect(
      proofOf({ channel: 'email', from: { address: 'giulia.rossi@example.it' }, auth: none }),
    ).toBeNull();
    expect(
      proofOf({
        channel: 'email',
        from: { address: 'giulia.rossi@example.it' },
        auth: { method: 'email_dmarc', level: 'none', subject: 'marco.bianchi@example.it' },
      }),
    ).toBeNull();
    // Only the email channel vouches with DMARC.
    expect(
      proofOf({
        channel: 'sms',
        from: { address: 'BANCA' },
        auth: { method: 'email_dmarc', level: 'none', subject: 'BANCA' },
      }),
    ).toBeNull();
  });

  it('never takes a claimed name as proof on channels that prove nothing', () => {
    expect(
      proofOf({
        channel: 'telegram',
        from: { address: '12345', displayName: 'Giulia Rossi' },
        auth: none,
      }),
    ).toBeNull();
    expect(
      proofOf({ channel: 'email', from: { address: 'giulia.rossi@example.it' }, auth: none }),
    ).toBeNull();
  });
});

describe('bankConfirms', () => {
  it('requires the bank record to carry exactly the proven phone or app user', () => {
    const phone = {
      kind: 'bank_verified_phone',
      e164: '+393471234567',
      assurance: 'possession',
    } as const;
    const app = { kind: 'app_jwt', appUserId: 'app-giulia', assurance: 'app_session' } as const;
    expect(bankConfirms(phone, { phone: '+393471234567', appUserId: null })).toBe(true);
    expect(bankConfirms(phone, { phone: '+393489876543', appUserId: null })).toBe(false);
    expect(bankConfirms(app, { phone: null, appUserId: 'app-giulia' })).toBe(true);
    expect(bankConfirms(app, { phone: '+393471234567', appUserId: 'app-marco' })).toBe(false);
  });
});

describe('bankConfirms for an email proof', () => {
  const proof = {
    kind: 'bank_verified_email',
    email: 'giulia.rossi@example.it',
    assurance: 'possession',
  } as const;

  it('needs the bank’s verified email to be that address (without case)', () => {
    expect(
      bankConfirms(proof, { phone: null, appUserId: null, email: 'Giulia.Rossi@Example.it' }),
    ).toBe(true);
    expect(
      bankConfirms(proof, { phone: null, appUserId: null, email: 'marco.bianchi@example.it' }),
    ).toBe(false);
    expect(bankConfirms(proof, { phone: null, appUserId: null, email: null })).toBe(false);
    expect(bankConfirms(proof, { phone: null, appUserId: null })).toBe(false);
  });
});

describe('isProofEvent', () => {
  it('is true only for a message that is itself an act of proving', () => {
    expect(isProofEvent({ auth: { method: 'provider_verified_phone', level: 'possession' } })).toBe(
      true,
    );
    expect(isProofEvent({ auth: none })).toBe(false);
    expect(isProofEvent({ auth: jwt('app-giulia') })).toBe(false);
  });
});
