import type { InboundMessageV1 } from '@omnigate/contracts';
import { inboundRefusal, statusRefusal } from './subject-claims.mapper';

type Auth = InboundMessageV1['auth'];
const msg = (
  channel: InboundMessageV1['channel'],
  auth: Partial<Auth> = {},
): Pick<InboundMessageV1, 'channel' | 'auth' | 'from'> => ({
  channel,
  from: { address: 'a@b.it' },
  auth: { method: 'none', level: 'none', ...auth },
});

describe('inboundRefusal: the channel from the subject, a claim only where it can be proven', () => {
  it('believes a plain message whose channel is the subject one', () => {
    for (const c of ['sms', 'whatsapp', 'telegram', 'email', 'inapp'] as const) {
      expect(inboundRefusal(`msg.in.v1.${c}`, msg(c))).toBeNull();
    }
  });

  it('refuses a payload channel that differs from the subject, or a subject naming none', () => {
    expect(inboundRefusal('msg.in.v1.telegram', msg('inapp'))).toEqual({
      code: 'ROUTER.CHANNEL_MISMATCH',
      reason: 'payload says channel inapp, subject msg.in.v1.telegram says telegram',
    });
    expect(inboundRefusal('msg.in.v1.fax', msg('sms'))?.code).toBe('ROUTER.CHANNEL_MISMATCH');
  });

  it('believes each claim only on the channel that proves it', () => {
    const appLogin = { method: 'app_jwt', level: 'strong', subject: 'app-giulia' } as const;
    const dmarc = { method: 'email_dmarc', level: 'none', subject: 'a@b.it' } as const;
    const contact = { method: 'provider_verified_phone', level: 'possession' } as const;
    expect(inboundRefusal('msg.in.v1.inapp', msg('inapp', appLogin))).toBeNull();
    expect(inboundRefusal('msg.in.v1.email', msg('email', dmarc))).toBeNull();
    expect(inboundRefusal('msg.in.v1.telegram', msg('telegram', contact))).toBeNull();
    for (const c of ['sms', 'whatsapp', 'telegram', 'email'] as const) {
      expect(inboundRefusal(`msg.in.v1.${c}`, msg(c, appLogin))).toEqual({
        code: 'ROUTER.CLAIM_NOT_ALLOWED',
        reason: `app_jwt cannot be proven on ${c}`,
      });
    }
    expect(inboundRefusal('msg.in.v1.sms', msg('sms', dmarc))?.code).toBe(
      'ROUTER.CLAIM_NOT_ALLOWED',
    );
    expect(inboundRefusal('msg.in.v1.whatsapp', msg('whatsapp', contact))?.code).toBe(
      'ROUTER.CLAIM_NOT_ALLOWED',
    );
  });

  it('refuses a level its method cannot reach (a level is a claim too)', () => {
    expect(inboundRefusal('msg.in.v1.sms', msg('sms', { level: 'strong' }))).toEqual({
      code: 'ROUTER.CLAIM_NOT_ALLOWED',
      reason: 'none on sms cannot reach strong',
    });
    const strongDmarc = { method: 'email_dmarc', level: 'app_session' } as const;
    expect(inboundRefusal('msg.in.v1.email', msg('email', strongDmarc))?.code).toBe(
      'ROUTER.CLAIM_NOT_ALLOWED',
    );
  });
});

describe('inboundRefusal: a DMARC pass is bound to the From address it was computed for', () => {
  it('refuses email_dmarc naming another address than the sender, or none', () => {
    const dmarc = { method: 'email_dmarc', level: 'none', subject: 'a@b.it' } as const;
    // Domains and, in practice, mailboxes have no case.
    expect(
      inboundRefusal('msg.in.v1.email', { ...msg('email', dmarc), from: { address: 'A@B.it' } }),
    ).toBeNull();
    expect(
      inboundRefusal('msg.in.v1.email', {
        ...msg('email', { ...dmarc, subject: 'attacker@evil.example' }),
        from: { address: 'a@b.it' },
      }),
    ).toEqual({
      code: 'ROUTER.CLAIM_NOT_ALLOWED',
      reason: 'email_dmarc proves only the From address of its own mail',
    });
    const noSubject = { ...msg('email'), auth: { method: 'email_dmarc', level: 'none' } as const };
    expect(inboundRefusal('msg.in.v1.email', noSubject)?.code).toBe('ROUTER.CLAIM_NOT_ALLOWED');
  });
});

describe('statusRefusal: a status only from the channel that sent the message', () => {
  it('believes the sending channel on its own subject', () => {
    expect(statusRefusal('msg.status.v1.sms', 'sms', 'sms')).toBeNull();
  });

  it('refuses another subject, another payload channel, or another sending channel', () => {
    expect(statusRefusal('msg.status.v1.telegram', 'telegram', 'sms')).toEqual({
      code: 'ROUTER.CHANNEL_MISMATCH',
      reason: 'a status on telegram for a message sent on sms',
    });
    expect(statusRefusal('msg.status.v1.telegram', 'sms', 'sms')?.code).toBe(
      'ROUTER.CHANNEL_MISMATCH',
    );
  });
});
