import type { TicketClockView } from '@omnigate/contracts';
import { clockLine, duration } from './ticket-clock.mapper';

const clock = (over: Partial<TicketClockView>): TicketClockView => ({
  rule: 'psd2_art101_complaint',
  jurisdiction: 'IT',
  state: 'on_track',
  dueAt: '2026-12-29T22:59:59.999Z',
  msLeft: 3 * 86_400_000 + 4 * 3_600_000,
  businessDaysLeft: 3,
  extended: false,
  extendableTo: '2027-01-28T22:59:59.999Z',
  holdingReplyAt: null,
  stoppedAt: null,
  ...over,
});

describe('ticket clock line', () => {
  it('formats durations in days, hours and minutes', () => {
    expect(duration(3 * 86_400_000 + 4 * 3_600_000 + 59_000)).toBe('3 d 4 h');
    expect(duration(-(5 * 3_600_000 + 20 * 60_000))).toBe('5 h 20 min');
    expect(duration(12 * 60_000)).toBe('12 min');
  });

  it('warns before the breach, then shows it', () => {
    expect(clockLine(clock({}))).toEqual({
      tone: 'ok',
      text: 'PSD2 art. 101: 3 d 4 h left (3 business days)',
    });
    expect(clockLine(clock({ state: 'at_risk', businessDaysLeft: 1, msLeft: 3_600_000 }))).toEqual({
      tone: 'warn',
      text: '⚠ PSD2 art. 101: 1 h 0 min left (1 business day)',
    });
    expect(
      clockLine(clock({ state: 'breached', msLeft: -2 * 86_400_000, extended: true })),
    ).toEqual({ tone: 'bad', text: 'PSD2 art. 101: deadline passed 2 d 0 h ago, extended' });
    expect(clockLine(clock({ state: 'met', stoppedAt: '2026-12-20T10:00:00Z' })).tone).toBe('ok');
  });

  it('names a scheme clock and says it was raised, not answered', () => {
    const visa = { rule: 'visa_dispute_time_limit' as const, extendableTo: null };
    expect(clockLine(clock({ ...visa, msLeft: 86_400_000 * 110, businessDaysLeft: 75 }))).toEqual({
      tone: 'ok',
      text: 'Visa time limit: 110 d 0 h left',
    });
    expect(clockLine(clock({ ...visa, state: 'met', stoppedAt: '2026-12-20T10:00:00Z' }))).toEqual({
      tone: 'ok',
      text: 'Visa time limit: raised or closed in time',
    });
    expect(
      clockLine(
        clock({
          rule: 'mastercard_chargeback_time_limit',
          state: 'breached',
          msLeft: -3_600_000,
          stoppedAt: '2026-12-30T10:00:00Z',
        }),
      ).text,
    ).toBe('Mastercard time limit: raised or closed 1 h 0 min late');
  });
});
