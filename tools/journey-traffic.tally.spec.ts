import { FULL_PLAN, SHORT_PLAN, forRun } from './journey-traffic.plan';
import type { Scenario } from './journey-traffic.plan';
import { hoursText, nearestRank, tallyLines, tallyOf } from './journey-traffic.tally';

const NOW = new Date('2026-12-07T17:00:00.000Z');

describe('what the traffic command tells the dashboard should show', () => {
  it('counts a card number repeated after each switch as one context loss at that switch', () => {
    const s: Scenario = {
      id: 's',
      journey: 'other',
      actor: { persona: 'p', name: 'P' },
      steps: [
        { do: 'say', channel: 'whatsapp', text: 'a' },
        { do: 'say', channel: 'inapp', text: 'b', repeats: 'card' },
        { do: 'say', channel: 'inapp', text: 'c' },
        { do: 'say', channel: 'sms', text: 'd', repeats: 'card' },
      ],
    };
    const t = tallyOf([s]);
    expect(t.switches).toBe(2);
    expect(t.flows).toEqual([{ start: 'whatsapp', end: 'sms', count: 1 }]);
    expect(t.contextLoss).toEqual({
      total: 2,
      card: 2,
      afterHandoff: 0,
      bySwitch: [
        { from: 'inapp', to: 'sms', count: 1 },
        { from: 'whatsapp', to: 'inapp', count: 1 },
      ],
    });
    expect(t.resolved).toBe(0);
  });

  it('does not count a conversation written to again after its resolution as first-contact', () => {
    const s: Scenario = {
      id: 's',
      journey: 'onboarding',
      actor: { persona: 'p', name: 'P' },
      steps: [
        { do: 'say', channel: 'sms', text: 'a' },
        { do: 'resolve', resolution: 'r' },
        { do: 'say', channel: 'sms', text: 'b' },
        { do: 'resolve', resolution: 'r' },
      ],
    };
    expect(tallyOf([s])).toMatchObject({ resolved: 1, reopened: 1, firstContactResolved: 0 });
  });

  it('sums the full and the short plans', () => {
    const full = tallyOf(FULL_PLAN, NOW);
    expect(full).toMatchObject({
      conversations: 10,
      switches: 4,
      contextLoss: { total: 2, card: 2, afterHandoff: 1 },
      resolved: 7,
      reopened: 1,
      firstContactResolved: 6,
      fraudResolved: 1,
      onboardingStarted: 6,
      onboardingIdentified: 2,
      onboardingCompleted: 5,
      openClockTickets: 1,
    });
    const short = tallyOf(SHORT_PLAN, NOW);
    expect(short).toMatchObject({ conversations: 4, switches: 3, resolved: 4, reopened: 1 });
    expect(short.flows).toEqual([
      { start: 'whatsapp', end: 'sms', count: 2 },
      { start: 'sms', end: 'sms', count: 1 },
      { start: 'whatsapp', end: 'whatsapp', count: 1 },
    ]);
    expect(tallyLines(short).join('\n')).toMatch(/FCR 75%/);
  });

  it('spreads the full plan over four days: FCR by the day each customer first wrote, resolutions in hours and days', () => {
    const full = tallyOf(FULL_PLAN, NOW);
    // Luca 74 h before (reopened), Marco 50 h, the WhatsApp prospect 26 h and the Telegram one
    // 20 h before; Giulia, the SMS and the email prospects today.
    expect(full.fcrDays).toEqual([
      { day: '2026-12-04', resolved: 1, firstContact: 0 },
      { day: '2026-12-05', resolved: 1, firstContact: 1 },
      { day: '2026-12-06', resolved: 2, firstContact: 2 },
      { day: '2026-12-07', resolved: 3, firstContact: 3 },
    ]);
    const h = 3_600_000;
    expect(full.resolutionMs).toEqual([0, 0, 0, 20 * h, 26 * h, 50 * h, 74 * h]);
    expect(hoursText(nearestRank(full.resolutionMs, 50))).toBe('20 h');
    expect(hoursText(nearestRank(full.resolutionMs, 90))).toBe('3 d 2 h');
    expect(tallyLines(full).slice(-2)).toEqual([
      'FCR by the day the customer first wrote (UTC): 2026-12-04 0/1, 2026-12-05 1/1, 2026-12-06 2/2, 2026-12-07 3/3',
      'resolution time (first message → resolution): p50 20 h, p90 3 d 2 h',
    ]);
    // Just after midnight the same hours fall on other days.
    const early = tallyOf(FULL_PLAN, new Date('2026-12-07T00:30:00.000Z'));
    expect(early.fcrDays.map((d) => d.day)).toEqual([
      '2026-12-03',
      '2026-12-04',
      '2026-12-05',
      '2026-12-06',
      '2026-12-07',
    ]);
  });

  it('refuses a send time the providers would not carry: SMS, after an agent step, beyond 7 days', () => {
    const plan = (steps: Scenario['steps']): Scenario[] => [
      { id: 'x', journey: 'other', actor: { persona: 'p', name: 'P' }, steps },
    ];
    const sms = plan([{ do: 'say', channel: 'sms', text: 'a', hoursAgo: 3 }]);
    expect(() => tallyOf(sms, NOW)).toThrow(/hoursAgo is for WhatsApp and Telegram/);
    const late = plan([
      { do: 'say', channel: 'telegram', text: 'a' },
      { do: 'agent_reply', text: 'b' },
      { do: 'say', channel: 'telegram', text: 'c', hoursAgo: 3 },
    ]);
    expect(() => tallyOf(late, NOW)).toThrow(/before any agent step/);
    const old = plan([{ do: 'say', channel: 'whatsapp', text: 'a', hoursAgo: 7 * 24 }]);
    expect(() => tallyOf(old, NOW)).toThrow(/beyond 7 days/);
  });

  it('plays each customer and address in one scenario only (one conversation each)', () => {
    const who = FULL_PLAN.map((s) =>
      'persona' in s.actor ? s.actor.persona : Object.values(s.actor.addresses).join(','),
    );
    expect(new Set(who).size).toBe(who.length);
  });
});

describe('a second run of the traffic command', () => {
  it('writes from new stranger addresses and keeps the seeded customers', () => {
    const run = forRun(FULL_PLAN, 42);
    const addresses = run.flatMap((s) =>
      'persona' in s.actor ? [] : Object.values(s.actor.addresses),
    );
    expect(addresses).toEqual([
      '+393900042101',
      '+393900042102',
      '99042103',
      'new.customer+042@example.net',
      '+393900042105',
    ]);
    expect(run[0]).toBe(FULL_PLAN[0]);
  });
});
