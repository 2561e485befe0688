import type { JourneyFigures } from '@omnigate/store';
import { JourneyRangeQuerySchema } from './journeys.dto';
import { buckets, toJourneyCsv, toJourneySummary } from './journey-summary.mapper';

const EMPTY: JourneyFigures = {
  conversations: 0,
  flows: [],
  switches: 0,
  losses: [],
  fcrDays: [],
  resolutionMs: [],
  fraudResolutionMs: [],
  firstResponseMs: [],
  onboarding: { started: 0, identified: 0, completed: 0 },
  containment: { botOnly: 0, handedOff: 0 },
  clocks: { onTrack: 0, atRisk: 0, breached: 0 },
};
const RANGE = { from: new Date('2026-12-01T00:00:00Z'), to: new Date('2026-12-08T00:00:00Z') };

describe('journey summary', () => {
  it('answers an empty range with zeros, empty arrays and targets not measured', () => {
    const s = toJourneySummary(EMPTY, RANGE, 86_400_000);
    expect(s.fcr).toEqual({ rate: 0, resolved: 0, firstContact: 0, series: [] });
    expect(s.resolution.p50Ms).toBe(0);
    expect(s.targets.map((t) => [t.id, t.measured, t.met])).toEqual([
      ['resolution_time', null, null],
      ['fcr', null, null],
      ['fraud_resolution', null, null],
      ['onboarding', null, null],
    ]);
    expect(toJourneyCsv(s).split('\n')[0]).toBe('section,name,value');
  });

  it('groups context losses and checks the targets against what was measured', () => {
    const s = toJourneySummary(
      {
        ...EMPTY,
        losses: [
          { kind: 'card', journey: 'fraud', switchFrom: 'whatsapp', switchTo: 'inapp', afterHandoff: false, count: 4 },
          { kind: 'transaction', journey: 'fraud', switchFrom: null, switchTo: null, afterHandoff: true, count: 2 },
        ],
        fcrDays: [{ day: '2026-12-01', resolved: 10, firstContact: 9 }],
        resolutionMs: [3_600_000, 7_200_000],
        fraudResolutionMs: [5_400_000],
        onboarding: { started: 10, identified: 8, completed: 6 },
      },
      RANGE,
      86_400_000,
    ); // prettier-ignore
    expect(s.contextLoss).toEqual({
      total: 6,
      bySwitch: [{ from: 'whatsapp', to: 'inapp', count: 4 }],
      byHandoff: 2,
      byJourney: [{ journey: 'fraud', count: 6 }],
      byKind: [
        { kind: 'card', count: 4 },
        { kind: 'transaction', count: 2 },
      ],
    });
    expect(s.targets.map((t) => t.met)).toEqual([true, true, true, false]);
    expect(s.resolution.p50Ms).toBe(3_600_000);
    expect(buckets([60_000, 61_000, 1e12]).filter((b) => b.count > 0)).toEqual([
      { leMs: 60_000, count: 1 },
      { leMs: 300_000, count: 1 },
      { leMs: null, count: 1 },
    ]);
  });

  it('refuses a range that runs backwards or spans more than 366 days', () => {
    expect(JourneyRangeQuerySchema.safeParse({ from: '2026-12-08', to: '2026-12-01' }).success).toBe(false);
    expect(JourneyRangeQuerySchema.safeParse({ from: '2025-01-01', to: '2026-12-01' }).success).toBe(false);
    expect(JourneyRangeQuerySchema.parse({ from: '2026-12-01', to: '2026-12-08' })).toEqual(RANGE);
  }); // prettier-ignore
});
