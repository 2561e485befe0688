import {
  ALL_REVOKED,
  vetoFailure,
  vetoOf,
  vetoOfMessage,
  withBlock,
  withConsent,
} from './recipient-veto.rule';

const t = (s: number) => new Date(Date.UTC(2030, 0, 1, 10, 0, s));

describe('the gateway opt-out list (pure rules)', () => {
  it('vetoes only what was explicitly revoked, per purpose; nothing known means the router decided', () => {
    expect(vetoOf(undefined, 'marketing')).toBeNull();
    const e = withConsent(undefined, [{ purpose: 'marketing', granted: false }], t(0), 'app')!;
    expect(vetoOf(e, 'marketing')).toEqual({
      kind: 'opted_out',
      purpose: 'marketing',
      source: 'app',
    });
    expect(vetoOf(e, 'service')).toBeNull();
  });

  it('lets the newest decision win: a late or redelivered older one changes nothing', () => {
    const stop = withConsent(undefined, ALL_REVOKED, t(10), 'keyword:STOP')!;
    const start = withConsent(
      stop,
      [{ purpose: 'service', granted: true }],
      t(20),
      'keyword:START',
    )!;
    expect(vetoOf(start, 'service')).toBeNull();
    expect(
      withConsent(start, [{ purpose: 'service', granted: false }], t(15), 'keyword'),
    ).toBeNull();
    expect(vetoOf(start, 'marketing')).toMatchObject({ kind: 'opted_out', source: 'keyword:STOP' });
    // The same decision again from the same source: nothing to write.
    expect(
      withConsent(start, [{ purpose: 'service', granted: true }], t(20), 'keyword:START'),
    ).toBeNull();
  });

  it('blocks until the customer unblocks or writes, and a block beats any consent', () => {
    const granted = withConsent(undefined, [{ purpose: 'service', granted: true }], t(0), 'app')!;
    const blocked = withBlock(granted, true, t(5), 'provider:TELEGRAM.BLOCKED')!;
    expect(vetoOf(blocked, 'service')).toEqual({
      kind: 'blocked',
      source: 'provider:TELEGRAM.BLOCKED',
    });
    expect(withBlock(blocked, false, t(4), 'telegram:message')).toBeNull();
    expect(vetoOf(withBlock(blocked, false, t(6), 'telegram:message')!, 'service')).toBeNull();
    expect(withBlock(undefined, false, t(6), 'telegram:message')).toBeNull();
  });

  it('lets the router’s confirmation of a STOP through the opt-out it confirms, nothing else', () => {
    const stop = withConsent(undefined, ALL_REVOKED, t(0), 'keyword:STOP')!;
    const confirmation = {
      purpose: 'service' as const,
      author: { kind: 'system' as const, id: 'consent' },
    };
    expect(vetoOfMessage(stop, confirmation)).toBeNull();
    expect(vetoOfMessage(stop, { ...confirmation, author: { kind: 'system', id: 'bot' } })).toEqual(
      {
        kind: 'opted_out',
        purpose: 'service',
        source: 'keyword:STOP',
      },
    );
    expect(
      vetoOfMessage(stop, { ...confirmation, author: { kind: 'agent', id: 'consent' } }),
    ).not.toBeNull();
    const blocked = withBlock(undefined, true, t(1), 'provider:TELEGRAM.BLOCKED')!;
    expect(vetoOfMessage(blocked, confirmation)).toMatchObject({ kind: 'blocked' });
  });

  it('says why a message was not sent, per source, without personal data', () => {
    expect(
      vetoFailure('sms', { kind: 'opted_out', purpose: 'service', source: 'keyword:STOP' }),
    ).toEqual({
      code: 'SMS.OPTED_OUT',
      reason: 'Not sent: the customer replied STOP on this channel and has not opted back in since',
    });
    expect(
      vetoFailure('sms', { kind: 'opted_out', purpose: 'service', source: 'provider:TWILIO.21610' })
        .reason,
    ).toBe('Not sent: the provider reports that the customer unsubscribed (TWILIO.21610)');
    expect(
      vetoFailure('whatsapp', { kind: 'opted_out', purpose: 'marketing', source: 'agent' }),
    ).toEqual({
      code: 'WHATSAPP.OPTED_OUT',
      reason:
        'Not sent: an agent recorded that the customer does not want marketing messages on this channel',
    });
    expect(vetoFailure('telegram', { kind: 'blocked', source: 'x' }, 'blocked us')).toEqual({
      code: 'TELEGRAM.BLOCKED',
      reason: 'blocked us',
    });
  });
});
