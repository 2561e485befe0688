import { InboundMessageV1Schema } from '@omnigate/contracts';
import {
  agentText,
  authWarningOf,
  emailKindOf,
  publishedKindOf,
  toInboundMessage,
} from './email-inbound.mapper';
import type { InboundEmail } from './email-inbound.mapper';

const ID = '7d8f1e0a-2b3c-4d5e-8f90-a1b2c3d4e5f6';
const CONV = '0b9c2f1e-6a47-4c0e-9a51-3d3c6f1b2a10';
const pass = { spf: 'pass', dkim: 'pass', dmarc: 'pass', fromDomain: 'example.it' } as const;

function mail(over: Partial<InboundEmail> = {}): InboundEmail {
  return {
    messageId: '<m1@example.it>',
    fromAddress: 'giulia.rossi@example.it',
    fromName: 'Giulia Rossi',
    toAddress: 'support@bank.example',
    subject: 'Carta bloccata',
    text: 'La mia carta non funziona',
    redactions: [],
    attachments: [],
    refusedCount: 0,
    auth: pass,
    thread: null,
    originalRef: null,
    ...over,
  };
}

describe('toInboundMessage', () => {
  it('marks a DMARC-proven sender with email_dmarc and its address as subject', () => {
    const msg = toInboundMessage(mail(), ID, new Date('2026-11-23T10:00:00Z'));
    expect(InboundMessageV1Schema.parse(msg)).toEqual(msg);
    expect(msg).toMatchObject({
      channel: 'email',
      providerMessageId: '<m1@example.it>',
      from: { address: 'giulia.rossi@example.it', displayName: 'Giulia Rossi' },
      text: 'Carta bloccata\n\nLa mia carta non funziona',
      auth: { method: 'email_dmarc', level: 'none', subject: 'giulia.rossi@example.it' },
      meta: { subject: 'Carta bloccata', emailAuth: 'spf=pass dkim=pass dmarc=pass' },
    });
    expect(msg.meta?.authWarning).toBeUndefined();
  });

  it('never proves a sender that failed DMARC, and warns the agent', () => {
    const msg = toInboundMessage(mail({ auth: { ...pass, dmarc: 'fail' } }), ID, new Date());
    expect(msg.auth).toEqual({ method: 'none', level: 'none' });
    expect(msg.meta).toMatchObject({
      authWarning: 'dmarc_fail',
      emailAuth: 'spf=pass dkim=pass dmarc=fail',
    });
    expect(authWarningOf({ ...pass, dmarc: 'none', fromDomain: null }, 'a@b.it')).toBe(
      'dmarc_unverified',
    );
    // DMARC passed, but for another domain than the From address's: not aligned, not proven.
    expect(authWarningOf(pass, 'giulia.rossi@other.example')).toBe('dmarc_unaligned');
  });

  it('publishes a spoofable STOP/START as text: no opt-out list or consent acts on it', () => {
    for (const dmarc of ['fail', 'none', 'temperror'] as const) {
      const stop = toInboundMessage(
        mail({ subject: 'STOP', text: '', auth: { ...pass, dmarc } }),
        ID,
        new Date(),
      );
      expect(stop.kind).toBe('text');
      expect(stop.auth.method).toBe('none');
      expect(stop.meta?.unprovenConsent).toBe('optout');
    }
    const start = toInboundMessage(
      mail({ fromAddress: 'giulia@elsewhere.example', subject: 'START', text: '' }),
      ID,
      new Date(),
    );
    expect(start).toMatchObject({ kind: 'text', meta: { unprovenConsent: 'optin' } });
    // The proven sender's STOP is a consent instruction, as before.
    const proven = toInboundMessage(mail({ subject: 'STOP', text: '' }), ID, new Date());
    expect(proven.kind).toBe('optout');
    expect(proven.meta?.unprovenConsent).toBeUndefined();
    expect(publishedKindOf('help', false)).toEqual({ kind: 'help' });
  });

  it('carries the matched thread and leaves the repeated subject out of a reply', () => {
    const msg = toInboundMessage(
      mail({ thread: { conversationId: CONV, by: 'in_reply_to' }, subject: 'Re: x' }),
      ID,
      new Date(),
    );
    expect(msg.text).toBe('La mia carta non funziona');
    expect(msg.meta).toMatchObject({
      threadConversationId: CONV,
      threadMatch: 'in_reply_to',
      subject: 'Re: x',
    });
  });

  it('says so when there is no text at all', () => {
    expect(agentText('', '', false)).toBe('(no text)');
  });
});

describe('emailKindOf', () => {
  it('reads a consent instruction from the subject, else from the own text', () => {
    expect(emailKindOf('STOP', '')).toBe('optout');
    expect(emailKindOf('Re: annulla', 'grazie')).toBe('optout');
    expect(emailKindOf('', 'Disiscrivimi')).toBe('optout');
    expect(emailKindOf('Re: Ticket', 'START')).toBe('optin');
    expect(emailKindOf('Carta bloccata', 'stop the payment please')).toBe('text');
  });
});
