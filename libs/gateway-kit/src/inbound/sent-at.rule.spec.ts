import { SENT_AT_MAX_AGE_MS } from '@omnigate/contracts';
import { fromUnixSeconds, sentAtWithin } from './sent-at.rule';

const received = new Date('2026-12-07T12:00:00.000Z');
const iso = (ms: number) => new Date(received.getTime() + ms).toISOString();

describe('sentAtWithin: the provider send time the gateway keeps', () => {
  it('keeps a time within the last 7 days, normalised to UTC', () => {
    expect(sentAtWithin('2026-12-04T09:30:00+01:00', received)).toEqual({
      sentAt: '2026-12-04T08:30:00.000Z',
    });
    expect(sentAtWithin(iso(-SENT_AT_MAX_AGE_MS), received)).toEqual({
      sentAt: iso(-SENT_AT_MAX_AGE_MS),
    });
    expect(sentAtWithin(new Date(received), received)).toEqual({ sentAt: received.toISOString() });
  });

  it('allows a clock up to 2 minutes ahead, not more', () => {
    expect(sentAtWithin(iso(120_000), received)).toEqual({ sentAt: iso(120_000) });
    expect(sentAtWithin(iso(120_001), received)).toEqual({ ignored: 'future' });
    expect(sentAtWithin(iso(86_400_000), received)).toEqual({ ignored: 'future' });
  });

  it('ignores a time older than 7 days', () => {
    expect(sentAtWithin(iso(-SENT_AT_MAX_AGE_MS - 1), received)).toEqual({ ignored: 'too_old' });
    expect(sentAtWithin(new Date(0), received)).toEqual({ ignored: 'too_old' });
  });

  it('tells a missing time from an unreadable one', () => {
    expect(sentAtWithin(undefined, received)).toEqual({ ignored: 'missing' });
    expect(sentAtWithin(null, received)).toEqual({ ignored: 'missing' });
    expect(sentAtWithin('', received)).toEqual({ ignored: 'missing' });
    expect(sentAtWithin('yesterday', received)).toEqual({ ignored: 'invalid' });
    expect(sentAtWithin(new Date(Number.NaN), received)).toEqual({ ignored: 'invalid' });
  });
});

describe('fromUnixSeconds', () => {
  it('reads WhatsApp strings and Telegram numbers', () => {
    expect(fromUnixSeconds('1765108800')?.toISOString()).toBe('2025-12-07T12:00:00.000Z');
    expect(fromUnixSeconds(1765108800)?.toISOString()).toBe('2025-12-07T12:00:00.000Z');
  });

  it('refuses what is not a whole number of seconds', () => {
    for (const v of ['', '12.5', '-1', 'abc', '1e9', 1.5, -1, Number.NaN, undefined, null, {}]) {
      expect(fromUnixSeconds(v)).toBeNull();
    }
    // Beyond year 9999 (no ISO date-time), and beyond what a Date holds.
    expect(fromUnixSeconds('253402300800')).toBeNull();
    expect(fromUnixSeconds(9_000_000_000_000)).toBeNull();
    expect(fromUnixSeconds(253_402_300_799)?.toISOString()).toBe('9999-12-31T23:59:59.000Z');
  });
});
