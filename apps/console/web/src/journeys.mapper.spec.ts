import {
  bucketLabel,
  csvPath,
  defaultRange,
  durationText,
  fcrSeries,
  flowRows,
  onboardingFunnel,
  percent,
  rangeProblem,
  summaryPath,
  targetLine,
} from './journeys.mapper';

describe('the journey dashboard range', () => {
  it('defaults to the last seven UTC days, today included, whatever the local hour', () => {
    expect(defaultRange(new Date('2026-12-07T23:30:00-05:00'))).toEqual({
      fromDay: '2026-12-02',
      toDay: '2026-12-08',
    });
    expect(defaultRange(new Date('2026-03-01T00:10:00Z'), 1)).toEqual({
      fromDay: '2026-03-01',
      toDay: '2026-03-01',
    });
  });

  it('asks the API for whole days: the last day’s following midnight is the exclusive end', () => {
    const r = { fromDay: '2026-12-01', toDay: '2026-12-07' };
    expect(summaryPath(r)).toBe(
      '/api/journeys/summary?from=2026-12-01T00%3A00%3A00.000Z&to=2026-12-08T00%3A00%3A00.000Z',
    );
    expect(csvPath(r)).toMatch(/^\/api\/journeys\/summary\.csv\?from=2026-12-01T00%3A00/);
  });

  it('says why a range would be refused before asking', () => {
    expect(rangeProblem({ fromDay: '2026-12-01', toDay: '2026-12-01' })).toBeNull();
    expect(rangeProblem({ fromDay: '2026-12-02', toDay: '2026-12-01' })).toMatch(/before/);
    expect(rangeProblem({ fromDay: '', toDay: '2026-12-01' })).toMatch(/both dates/);
    expect(rangeProblem({ fromDay: '2025-12-01', toDay: '2026-12-01' })).toBeNull(); // 366 days
    expect(rangeProblem({ fromDay: '2025-11-30', toDay: '2026-12-01' })).toMatch(/366/);
  });
});

describe('the journey dashboard numbers', () => {
  it('reads durations at the scale they have', () => {
    expect(durationText(850)).toBe('850 ms');
    expect(durationText(12_400)).toBe('12 s');
    expect(durationText(245_000)).toBe('4 min 5 s');
    expect(durationText(7_200_000)).toBe('2 h');
    expect(durationText(48 * 3_600_000 + 3_600_000)).toBe('2 d 1 h');
    expect(durationText(null)).toBe('—');
    expect(bucketLabel(60_000)).toBe('≤ 1 min');
    expect(bucketLabel(null)).toBe('longer');
  });

  it('shows a rate of nothing as a dash, not as 0%', () => {
    expect(percent(0.8125)).toBe('81%');
    expect(percent(0, false)).toBe('—');
    expect(percent(0)).toBe('0%');
  });

  it('lists flows most frequent first with channel names', () => {
    const rows = flowRows([
      { start: 'sms', end: 'sms', count: 2 },
      { start: 'whatsapp', end: 'inapp', count: 5 },
      { start: 'email', end: 'email', count: 2 },
    ]);
    expect(rows.map((r) => [r.label, r.count])).toEqual([
      ['WhatsApp → App', 5],
      ['Email → Email', 2],
      ['SMS → SMS', 2],
    ]);
  });

  it('puts each target beside its measure in its own unit', () => {
    expect(
      targetLine({
        id: 'fraud_resolution',
        label: 'Fraud resolution 48 h → under 2 h',
        target: 7_200_000,
        measured: 5_400_000,
        met: true,
      }),
    ).toEqual({
      id: 'fraud_resolution',
      label: 'Fraud resolution 48 h → under 2 h',
      target: '≤ 2 h',
      measured: '1 h 30 min',
      verdict: 'met',
    });
    const fcr = targetLine({ id: 'fcr', label: 'FCR', target: 0.89, measured: 0.81, met: false });
    expect([fcr.target, fcr.measured, fcr.verdict]).toEqual(['≥ 89%', '81%', 'missed']);
    const none = targetLine({
      id: 'resolution_time',
      label: 'Resolution time −35%',
      target: 'p50 ≤ 0.65 × baseline',
      measured: null,
      met: null,
    });
    expect([none.target, none.measured, none.verdict]).toEqual([
      'p50 ≤ 0.65 × baseline',
      '—',
      'no data',
    ]);
  });

  it('funnels onboarding as shares of those who started, and orders the FCR days', () => {
    expect(
      onboardingFunnel({ started: 4, identified: 3, completed: 2, conversion: 0.5 }).map((s) => [
        s.key,
        s.count,
        s.share,
      ]),
    ).toEqual([
      ['started', 4, 1],
      ['identified', 3, 0.75],
      ['completed', 2, 0.5],
    ]);
    expect(
      onboardingFunnel({ started: 0, identified: 0, completed: 0, conversion: 0 })[2]!.share,
    ).toBe(0);
    expect(
      fcrSeries([
        { day: '2026-12-02', resolved: 0, firstContact: 0 },
        { day: '2026-12-01', resolved: 3, firstContact: 2 },
      ]),
    ).toEqual([
      { day: '2026-12-01', resolved: 3, firstContact: 2, rate: 67 },
      { day: '2026-12-02', resolved: 0, firstContact: 0, rate: null },
    ]);
  });
});
