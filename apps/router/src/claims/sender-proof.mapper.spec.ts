import type { InboundMessageV1 } from '@omnigate/contracts';
import { senderProven, unprovenSenderReason } from './sender-proof.mapper';

type Msg = Pick<InboundMessageV1, 'channel' | 'from' | 'auth' | 'meta'>;
const GIULIA = 'giulia.rossi@example.it';
const email = (auth: InboundMessageV1['auth'], meta?: Record<string, string>): Msg => ({
  channel: 'email',
  from: { address: GIULIA },
  auth,
  ...(meta ? { meta } : {}),
});
const none = { method: 'none', level: 'none' } as const;

describe('senderProven', () => {
  it('believes an email sender only on an aligned DMARC pass for that very address', () => {
    expect(senderProven(email({ method: 'email_dmarc', level: 'none', subject: GIULIA }))).toBe(
      true,
    );
    expect(senderProven(email(none))).toBe(false);
    expect(
      senderProven(email({ method: 'email_dmarc', level: 'none', subject: 'x@evil.example' })),
    ).toBe(false);
    expect(senderProven(email({ method: 'email_dmarc', level: 'none' }))).toBe(false);
  });

  it('takes the address of the other channels as the provider gave it', () => {
    for (const channel of ['sms', 'whatsapp', 'telegram', 'inapp'] as const) {
      expect(senderProven({ channel, from: { address: 'x' }, auth: none })).toBe(true);
    }
  });
});

describe('unprovenSenderReason', () => {
  it('says why from the gateway, but decides from the claim', () => {
    expect(unprovenSenderReason(email(none, { authWarning: 'dmarc_fail' }))).toBe('dmarc_fail');
    expect(unprovenSenderReason(email(none, { authWarning: 'dmarc_unaligned' }))).toBe(
      'dmarc_unaligned',
    );
    // No reason, or one we do not know: unverified (never a free string in a flag).
    expect(unprovenSenderReason(email(none))).toBe('dmarc_unverified');
    expect(unprovenSenderReason(email(none, { authWarning: '<b>hi</b>' }))).toBe(
      'dmarc_unverified',
    );
    // A proven sender has no reason, whatever the meta says.
    const proven = email(
      { method: 'email_dmarc', level: 'none', subject: GIULIA },
      { authWarning: 'dmarc_fail' },
    );
    expect(unprovenSenderReason(proven)).toBeNull();
  });
});
