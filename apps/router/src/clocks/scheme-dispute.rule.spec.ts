import { schemeDisputeIssues } from '@omnigate/contracts';
import type { CardScheme } from '@omnigate/contracts';
import {
  schemeClockView,
  schemeDateProblem,
  schemeDueOf,
  schemeLastDay,
  schemeLimitFor,
} from './scheme-dispute.rule';
import type { SchemeClockInput } from './scheme-dispute.rule';

const at = (iso: string) => new Date(iso);

function dispute(
  scheme: CardScheme,
  reason: string,
  processedOn: string,
  more: Partial<SchemeClockInput> = {},
): SchemeClockInput {
  return {
    limit: schemeLimitFor(scheme, reason)!,
    jurisdiction: 'IT',
    processedOn,
    deliveryOn: null,
    raisedAt: null,
    resolvedAt: null,
    ...more,
  };
}

describe('card scheme time limits by reason', () => {
  it('gives Visa 120 days, 75 for authorisation (11.x) and invalid data (12.7)', () => {
    expect(schemeLimitFor('visa', '10.4')).toMatchObject({
      rule: 'visa_dispute_time_limit',
      days: 120,
      laterStart: false,
    });
    for (const r of ['11.1', '11.2', '11.3', '12.7']) {
      expect(schemeLimitFor('visa', r)?.days).toBe(75);
    }
    expect(schemeLimitFor('visa', '12.6')?.days).toBe(120);
    expect(schemeLimitFor('visa', '13.1')).toMatchObject({ days: 120, laterStart: true });
    expect(schemeLimitFor('visa', '13.2')).toMatchObject({ days: 120, laterStart: false });
  });

  it('gives Mastercard 90 days for 4808 and 4834, 120 for fraud and 4853', () => {
    expect(schemeLimitFor('mastercard', '4808')).toMatchObject({
      rule: 'mastercard_chargeback_time_limit',
      days: 90,
    });
    expect(schemeLimitFor('mastercard', '4834')?.days).toBe(90);
    expect(schemeLimitFor('mastercard', '4837')?.days).toBe(120);
    expect(schemeLimitFor('mastercard', '4853')).toMatchObject({ days: 120, laterStart: true });
  });

  it('knows no reason of the other scheme', () => {
    expect(schemeLimitFor('visa', '4837')).toBeNull();
    expect(schemeLimitFor('mastercard', '10.4')).toBeNull();
    expect(schemeLimitFor('visa', '10.5')).toBeNull(); // VFMP: Visa starts it, not the issuer
  });
});

describe('scheme deadlines, counted by hand', () => {
  it('Visa 10.4 processed Mon 31 Jan 2028 (leap year): Tue 30 May 2028', () => {
    // After 31 Jan: February 29 days (29), March 31 (60), April 30 (90), 30 days of May (120).
    const d = dispute('visa', '10.4', '2028-01-31');
    expect(schemeLastDay(d)).toBe('2028-05-30');
    expect(schemeDueOf(d).toISOString()).toBe('2028-05-30T21:59:59.999Z'); // 23:59:59.999 CEST
  });

  it('Visa 11.2 processed 15 Dec 2026 (75 days): Sunday 28 Feb 2027, the month-end', () => {
    // 16 days to 31 Dec (16), January (47), 28 days of February 2027 (75). A weekend day stays.
    const d = dispute('visa', '11.2', '2026-12-15');
    expect(schemeLastDay(d)).toBe('2027-02-28');
    expect(schemeDueOf(d).toISOString()).toBe('2027-02-28T22:59:59.999Z'); // CET
  });

  it('Mastercard 4808 processed 1 Dec 2027 (90 days): 29 Feb 2028, the leap day', () => {
    // 30 days to 31 Dec (30), January (61), 29 days of February 2028 (90).
    const d = dispute('mastercard', '4808', '2027-12-01', { jurisdiction: 'US' });
    expect(schemeLastDay(d)).toBe('2028-02-29');
    // End of 29 Feb in New York (EST) is 04:59:59.999Z on 1 March.
    expect(schemeDueOf(d).toISOString()).toBe('2028-03-01T04:59:59.999Z');
  });

  it('Visa 13.1 counts from a later expected delivery: 120 days from 15 Jun 2026 is 13 Oct', () => {
    // Processed 2 Mar 2026 (120 days: 30 Jun). From 15 Jun: 15 (30 Jun), July (46),
    // August (77), September (107), 13 days of October (120).
    const d = dispute('visa', '13.1', '2026-03-02', { deliveryOn: '2026-06-15' });
    expect(schemeLastDay({ ...d, deliveryOn: null })).toBe('2026-06-30');
    expect(schemeLastDay(d)).toBe('2026-10-13');
    // A delivery before the processing date does not shorten the processing date's limit.
    expect(schemeLastDay({ ...d, deliveryOn: '2026-02-20' })).toBe('2026-06-30');
  });

  it('never past 540 days from the processing date (Mastercard 4853)', () => {
    // Processed 10 Jan 2026: + 365 = 10 Jan 2027, + 175: 21 (31 Jan), 49 (28 Feb), 80 (31 Mar),
    // 110 (30 Apr), 141 (31 May), 171 (30 Jun), 4 Jul (175). Delivery 1 May 2027 + 120 would be
    // 29 Aug 2027: the cap, Sun 4 Jul 2027, comes first.
    const d = dispute('mastercard', '4853', '2026-01-10', { deliveryOn: '2027-05-01' });
    expect(schemeLastDay(d)).toBe('2027-07-04');
  });

  it('ignores a delivery date on a reason counted from processing only', () => {
    const d = dispute('visa', '13.2', '2026-03-02', { deliveryOn: '2026-06-15' });
    expect(schemeLastDay(d)).toBe('2026-06-30');
  });
});

describe('scheme clock states', () => {
  // Visa 12.6 processed Mon 31 Aug 2026: September (30), October (61), November (91), 29 days of
  // December (120) → Tue 29 Dec 2026, 22:59:59.999Z (CET).
  const input = dispute('visa', '12.6', '2026-08-31');
  const view = (iso: string, more: Partial<SchemeClockInput> = {}) =>
    schemeClockView({ ...input, ...more }, at(iso), 5);

  it('goes on track → at risk (5 calendar days left) → breached, never extended', () => {
    // Wed 23 Dec: 6 calendar days left (24–29); Thu 24, Mon 28, Tue 29 are the business days
    // left in Italy (25, 26 holidays). Thu 24: 5 calendar days left, at risk.
    expect(view('2026-12-23T10:00:00Z')).toMatchObject({
      rule: 'visa_dispute_time_limit',
      state: 'on_track',
      businessDaysLeft: 3,
      dueAt: '2026-12-29T22:59:59.999Z',
      extended: false,
      extendableTo: null,
    });
    expect(view('2026-12-24T10:00:00Z')).toMatchObject({ state: 'at_risk', businessDaysLeft: 2 });
    expect(view('2026-12-29T23:00:00Z').state).toBe('breached');
  });

  it('stops when raised with the scheme: met in time, breached late', () => {
    const raised = view('2027-03-01T00:00:00Z', { raisedAt: at('2026-12-28T09:00:00Z') });
    expect(raised).toMatchObject({ state: 'met', stoppedAt: '2026-12-28T09:00:00.000Z' });
    expect(raised.msLeft).toBe(
      Date.parse('2026-12-29T22:59:59.999Z') - Date.parse('2026-12-28T09:00:00Z'),
    );
    const late = view('2027-03-01T00:00:00Z', { raisedAt: at('2026-12-30T09:00:00Z') });
    expect(late.state).toBe('breached');
    // Resolving the ticket without raising it stops the clock as well.
    expect(view('2027-03-01T00:00:00Z', { resolvedAt: at('2026-12-01T09:00:00Z') }).state).toBe(
      'met',
    );
  });
});

describe('validation', () => {
  it('refuses a processing date after today in the jurisdiction', () => {
    // 23:30Z on 31 Dec 2026 is already 1 Jan 2027 in Rome, still 31 Dec in New York.
    const now = at('2026-12-31T23:30:00Z');
    expect(schemeDateProblem('2027-01-01', 'IT', now)).toBeNull();
    expect(schemeDateProblem('2027-01-01', 'US', now)).toMatch(/in the future/);
    expect(schemeDateProblem('2026-12-31', 'US', now)).toBeNull();
  });

  it("names a reason that is not the scheme's, a missing part, a misplaced delivery date", () => {
    const full = {
      cardScheme: 'visa' as const,
      schemeReason: '10.4',
      transactionProcessedOn: '2026-11-02',
    };
    expect(schemeDisputeIssues('card_dispute', full)).toEqual([]);
    expect(schemeDisputeIssues('card_dispute', {})).toEqual([]);
    expect(schemeDisputeIssues('card_dispute', { ...full, schemeReason: '4837' })).toEqual([
      ['schemeReason', expect.stringContaining('4837 is not a visa dispute reason')],
    ]);
    expect(schemeDisputeIssues('complaint', full)[0]?.[0]).toBe('cardScheme');
    expect(
      schemeDisputeIssues('card_dispute', { cardScheme: 'mastercard', schemeReason: '4837' })[0],
    ).toEqual(['transactionProcessedOn', expect.stringContaining('together')]);
    expect(schemeDisputeIssues('card_dispute', { ...full, deliveryOn: '2026-11-20' })).toEqual([
      ['deliveryOn', 'visa 10.4 counts from the processing date only'],
    ]);
    expect(
      schemeDisputeIssues('card_dispute', {
        ...full,
        schemeReason: '13.1',
        deliveryOn: '2026-11-20',
      }),
    ).toEqual([]);
  });
});
