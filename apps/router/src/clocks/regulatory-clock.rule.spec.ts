import type { ClockInput } from './regulatory-clock.rule';
import { clockRuleFor, clockView, dueOf } from './regulatory-clock.rule';
import { addBusinessDays, endOfLocalDay, isBusinessDay } from './business-calendar.rule';

const at = (iso: string) => new Date(iso);

function complaint(jurisdiction: 'IT' | 'DE', openedAt: string, more: Partial<ClockInput> = {}) {
  return {
    rule: clockRuleFor('complaint', jurisdiction, null)!,
    jurisdiction,
    openedAt: at(openedAt),
    holdingReplyAt: null,
    resolvedAt: null,
    ...more,
  };
}

describe('business calendar (date-holidays)', () => {
  it('closes on Italian public holidays and weekends, not on Christmas Eve', () => {
    expect(isBusinessDay('IT', '2026-12-08')).toBe(false); // Immacolata, a Tuesday
    expect(isBusinessDay('IT', '2026-12-25')).toBe(false); // Natale, a Friday
    expect(isBusinessDay('IT', '2026-12-05')).toBe(false); // Saturday
    expect(isBusinessDay('IT', '2026-12-24')).toBe(true); // not a public holiday in Italy
  });

  it('closes German banks on 24 December (date-holidays type bank)', () => {
    expect(isBusinessDay('DE', '2026-12-24')).toBe(false);
    expect(addBusinessDays('DE', '2026-12-23', 1)).toBe('2026-12-28');
  });

  it('ends a local day at 23:59:59.999 in winter and summer time', () => {
    expect(endOfLocalDay('2026-12-29', 'Europe/Rome').toISOString()).toBe(
      '2026-12-29T22:59:59.999Z',
    );
    expect(endOfLocalDay('2026-07-03', 'Europe/Rome').toISOString()).toBe(
      '2026-07-03T21:59:59.999Z',
    );
    expect(endOfLocalDay('2026-12-03', 'America/New_York').toISOString()).toBe(
      '2026-12-04T04:59:59.999Z',
    );
  });
});

describe('PSD2 art. 101 complaint clock', () => {
  it('a complaint opened on Friday 4 Dec 2026 (IT) is due at the end of Tuesday 29 Dec', () => {
    // Business days after Fri 4 Dec: Mon 7 (1), Tue 8 Immacolata skipped, Wed 9 (2), Thu 10 (3),
    // Fri 11 (4), Mon 14 – Fri 18 (5–9), Mon 21 – Thu 24 (10–13), Fri 25 Natale and Sat 26 Santo
    // Stefano skipped, Mon 28 (14), Tue 29 (15). Without the two holidays it would be Fri 25.
    const { dueAt, extended } = dueOf(complaint('IT', '2026-12-04T09:00:00Z'));
    expect(extended).toBe(false);
    expect(dueAt.toISOString()).toBe('2026-12-29T22:59:59.999Z'); // 23:59:59.999 in Rome (CET)
  });

  it('a holding reply sent in time extends it to 35 business days: Thursday 28 Jan 2027', () => {
    // After Tue 29 Dec (15): Wed 30 (16), Thu 31 (17), Fri 1 Jan Capodanno skipped, Mon 4 (18),
    // Tue 5 (19), Wed 6 Epifania skipped, Thu 7 (20), Fri 8 (21), 11–15 Jan (22–26),
    // 18–22 Jan (27–31), Mon 25 (32), Tue 26 (33), Wed 27 (34), Thu 28 (35).
    const input = complaint('IT', '2026-12-04T09:00:00Z', {
      holdingReplyAt: at('2026-12-21T10:00:00Z'),
    });
    const view = clockView(input, at('2026-12-21T10:00:00Z'), 2);
    expect(view.extended).toBe(true);
    expect(view.dueAt).toBe('2027-01-28T22:59:59.999Z');
    expect(view.state).toBe('on_track');
    expect(view.extendableTo).toBeNull();
  });

  it('a holding reply after the 15th business day does not undo the breach', () => {
    const input = complaint('IT', '2026-12-04T09:00:00Z', {
      holdingReplyAt: at('2026-12-30T08:00:00Z'),
    });
    const view = clockView(input, at('2026-12-30T09:00:00Z'), 2);
    expect(view.extended).toBe(false);
    expect(view.state).toBe('breached');
    expect(view.msLeft).toBeLessThan(0);
  });

  it('counts from the next business day when opened on a weekend', () => {
    // Opened Sat 13 Jun 2026: Mon 15 is day 1, three full weeks later Fri 3 Jul is day 15
    // (no Italian holiday in between); CEST, so 21:59:59.999Z.
    const sat = dueOf(complaint('IT', '2026-06-13T10:00:00Z')).dueAt.toISOString();
    const sun = dueOf(complaint('IT', '2026-06-14T10:00:00Z')).dueAt.toISOString();
    expect(sat).toBe('2026-07-03T21:59:59.999Z');
    expect(sun).toBe(sat);
  });

  it("takes the receipt date in the jurisdiction's time zone", () => {
    // 22:30Z on Sunday 14 Jun is 00:30 on Monday 15 in Rome: received Monday, day 1 is Tue 16.
    const due = dueOf(complaint('IT', '2026-06-14T22:30:00Z')).dueAt.toISOString();
    expect(due).toBe('2026-07-06T21:59:59.999Z');
  });

  it('goes on track → at risk (2 business days left) → breached; answered in time is met', () => {
    const input = complaint('IT', '2026-12-04T09:00:00Z');
    const now = (iso: string) => clockView(input, at(iso), 2);
    // Wed 23: Thu 24, Mon 28, Tue 29 left.
    expect(now('2026-12-23T10:00:00Z')).toMatchObject({ state: 'on_track', businessDaysLeft: 3 });
    expect(now('2026-12-23T10:00:00Z').extendableTo).toBe('2027-01-28T22:59:59.999Z');
    expect(now('2026-12-24T10:00:00Z')).toMatchObject({ state: 'at_risk', businessDaysLeft: 2 });
    expect(now('2026-12-29T22:00:00Z')).toMatchObject({ state: 'at_risk', businessDaysLeft: 0 });
    expect(now('2026-12-29T23:00:00Z').state).toBe('breached');

    const answered = { ...input, resolvedAt: at('2026-12-28T09:00:00Z') };
    const later = clockView(answered, at('2027-02-01T00:00:00Z'), 2);
    expect(later.state).toBe('met');
    // Frozen at the answer: Mon 28 09:00Z to Tue 29 22:59:59.999Z.
    expect(later.msLeft).toBe(
      Date.parse('2026-12-29T22:59:59.999Z') - Date.parse('2026-12-28T09:00:00Z'),
    );
    expect(later.stoppedAt).toBe('2026-12-28T09:00:00.000Z');
  });
});

describe('card disputes', () => {
  const dispute = (
    jurisdiction: 'IT' | 'DE' | 'US',
    type: Parameters<typeof clockRuleFor>[2],
    openedAt: string,
    holdingReplyAt: string | null = null,
  ) =>
    dueOf({
      rule: clockRuleFor('card_dispute', jurisdiction, type)!,
      jurisdiction,
      openedAt: at(openedAt),
      holdingReplyAt: holdingReplyAt ? at(holdingReplyAt) : null,
      resolvedAt: null,
    });

  it('EU unauthorised: refund by the end of the next business day (PSD2 art. 73)', () => {
    // DE, Wed 23 Dec: 24 Dec banks closed, 25–26 holidays, weekend: Mon 28 (CET).
    const de = dispute('DE', 'unauthorised', '2026-12-23T15:00:00Z', '2026-12-23T16:00:00Z');
    expect(de.dueAt.toISOString()).toBe('2026-12-28T22:59:59.999Z');
    expect(de.extended).toBe(false); // nothing extends art. 73
    expect(clockRuleFor('card_dispute', 'IT', 'pos_debit')?.rule).toBe('psd2_art101_complaint');
  });

  it('US Reg E: 10 business days, 45 days with a provisional credit (unauthorised, ATM)', () => {
    // Received Wed 18 Nov 2026 (New York). Business days: Thu 19 (1), Fri 20 (2), Mon 23 – Wed
    // 25 (3–5), Thu 26 Thanksgiving skipped, Fri 27 (6, only an observance), Mon 30 (7),
    // Tue 1 – Thu 3 Dec (8–10). End of Thu 3 Dec in EST is 04:59:59.999Z on the 4th.
    const first = dispute('US', 'atm', '2026-11-18T15:00:00Z');
    expect(first.dueAt.toISOString()).toBe('2026-12-04T04:59:59.999Z');
    // 45 calendar days after 18 Nov: 12 to 30 Nov, 31 more to 31 Dec, 2 more: Sat 2 Jan 2027.
    const credited = dispute('US', 'unauthorised', '2026-11-18T15:00:00Z', '2026-12-01T15:00:00Z');
    expect(credited.dueAt.toISOString()).toBe('2027-01-03T04:59:59.999Z');
  });

  it('US Reg E: 90 days for a point-of-sale debit or foreign transfer, 20 business days for a new account', () => {
    // 18 Nov + 90 days: 12 (30 Nov) + 31 (31 Dec) + 31 (31 Jan) + 16 = Tue 16 Feb 2027.
    const pos = dispute('US', 'pos_debit', '2026-11-18T15:00:00Z', '2026-11-20T15:00:00Z');
    expect(pos.dueAt.toISOString()).toBe('2027-02-17T04:59:59.999Z');
    // 20 business days: after Thu 3 Dec (10): Fri 4 (11), 7–11 Dec (12–16), 14–17 Dec (17–20).
    const fresh = dispute('US', 'new_account', '2026-11-18T15:00:00Z');
    expect(fresh.dueAt.toISOString()).toBe('2026-12-18T04:59:59.999Z');
  });

  it('US Reg Z credit card: 30 days to acknowledge, 90 days to resolve', () => {
    const first = dispute('US', 'credit_card', '2026-11-18T15:00:00Z');
    expect(first.dueAt.toISOString()).toBe('2026-12-19T04:59:59.999Z'); // Fri 18 Dec, EST
    const acknowledged = dispute(
      'US',
      'credit_card',
      '2026-11-18T15:00:00Z',
      '2026-11-25T15:00:00Z',
    );
    expect(acknowledged.dueAt.toISOString()).toBe('2027-02-17T04:59:59.999Z');
  });

  it('runs no clock on an other ticket', () => {
    expect(clockRuleFor('other', 'IT', null)).toBeNull();
  });
});
