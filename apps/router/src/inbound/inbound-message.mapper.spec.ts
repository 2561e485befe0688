import { INBOUND_MESSAGE_V1 } from '@omnigate/contracts';
import type { InboundMessageV1 } from '@omnigate/contracts';
import {
  consentChangeOf,
  flagsOf,
  provenConsentChangeOf,
  toNewInbound,
} from './inbound-message.mapper';

const msg: InboundMessageV1 = {
  type: INBOUND_MESSAGE_V1,
  version: 1,
  id: '0b7e2f4c-3d1a-4e5b-8c9d-2f3a4b5c6d7e',
  occurredAt: '2026-03-02T10:15:00.000Z',
  channel: 'inapp',
  providerMessageId: 'inapp-c-1',
  from: { address: 'app-giulia' },
  to: { address: 'bank-app' },
  kind: 'text',
  text: 'La carta [card visa ****1111 ref_abcdefghijklmnopqrst] non va',
  attachments: [
    { kind: 'image', mimeType: 'image/jpeg', size: 2048, sha256: null, ref: 'media/1' },
  ],
  redactions: [{ token: 'ref_abcdefghijklmnopqrst', brand: 'visa', last4: '1111' }],
  auth: { method: 'app_jwt', level: 'app_session', subject: 'app-giulia' },
  meta: { clientMsgId: 'c-1' },
};

describe('flagsOf', () => {
  const email: InboundMessageV1 = {
    ...msg,
    channel: 'email',
    from: { address: 'giulia.rossi@example.it' },
    auth: { method: 'none', level: 'none' },
  };
  const proven: InboundMessageV1 = {
    ...email,
    auth: { method: 'email_dmarc', level: 'none', subject: 'giulia.rossi@example.it' },
  };

  it('flags an email whose sender DMARC did not prove, for the agent to see', () => {
    expect(flagsOf({ ...email, meta: { authWarning: 'dmarc_fail' } })).toEqual({
      flags: ['email_dmarc_fail'],
    });
    expect(
      toNewInbound({ ...email, meta: { authWarning: 'dmarc_unverified' } }, 'c').flags,
    ).toEqual(['email_dmarc_unverified']);
    // Unproven by the claim, whatever the gateway's note says (or if it says nothing).
    expect(flagsOf({ ...email, meta: {} })).toEqual({ flags: ['email_dmarc_unverified'] });
  });

  it('says so when an unproven sender sent a link or consent command (ignored)', () => {
    expect(
      flagsOf({ ...email, text: 'LINK ABCD2345', meta: { authWarning: 'dmarc_fail' } }),
    ).toEqual({
      flags: ['email_dmarc_fail', 'email_command_refused'],
    });
    expect(flagsOf({ ...email, kind: 'optout', text: 'STOP' }).flags).toContain(
      'email_command_refused',
    );
  });

  it('flags nothing for a proven sender or another channel', () => {
    expect(flagsOf({ ...proven, meta: { authWarning: 'dmarc_fail' } })).toEqual({});
    expect(flagsOf({ ...msg, meta: { authWarning: 'dmarc_fail' } })).toEqual({});
  });
});

describe('provenConsentChangeOf', () => {
  const stop: InboundMessageV1 = {
    ...msg,
    channel: 'email',
    from: { address: 'giulia.rossi@example.it' },
    kind: 'optout',
    text: 'STOP',
    auth: { method: 'none', level: 'none' },
  };

  it('changes consent only for a sender its channel proved', () => {
    expect(provenConsentChangeOf(stop)).toBeNull();
    expect(provenConsentChangeOf({ ...stop, kind: 'optin', text: 'START' })).toBeNull();
    expect(
      provenConsentChangeOf({
        ...stop,
        auth: { method: 'email_dmarc', level: 'none', subject: 'giulia.rossi@example.it' },
      }),
    ).toEqual({ optedOut: true });
    expect(
      provenConsentChangeOf({ ...stop, channel: 'sms', from: { address: '+393471234567' } }),
    ).toEqual({ optedOut: true });
  });
});

describe('toNewInbound', () => {
  it('keeps the redacted text, the channel, both addresses and the client message id', () => {
    expect(toNewInbound(msg, 'cust-row-1')).toEqual({
      customerId: 'cust-row-1',
      channel: 'inapp',
      address: 'app-giulia',
      ourAddress: 'bank-app',
      kind: 'text',
      body: msg.text,
      attachments: msg.attachments,
      providerMessageId: 'inapp-c-1',
      dedupeKey: 'inapp:inapp-c-1',
      clientMsgId: 'c-1',
      receivedAt: new Date('2026-03-02T10:15:00.000Z'),
    });
  });

  it('has no client message id when the channel gives none', () => {
    expect(toNewInbound({ ...msg, meta: undefined }, 'c').clientMsgId).toBeNull();
  });
});

describe('consentChangeOf', () => {
  it('turns STOP and START into consent changes, and nothing else', () => {
    expect(consentChangeOf('optout')).toEqual({ optedOut: true });
    expect(consentChangeOf('optin')).toEqual({ optedOut: false });
    expect(consentChangeOf('help')).toBeNull();
    expect(consentChangeOf('text')).toBeNull();
  });
});
