import { FULL_PLAN, SHORT_PLAN, forRun } from './journey-traffic.plan';
import type { Scenario } from './journey-traffic.plan';
import { tallyLines, tallyOf } from './journey-traffic.tally';

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
    const full = tallyOf(FULL_PLAN);
    expect(full).toMatchObject({
      conversations: 10,
      switches: 4,
      contextLoss: { total: 2, card: 2, afterHandoff: 1 },
      resolved: 6,
      reopened: 1,
      firstContactResolved: 5,
      fraudResolved: 1,
      onboardingStarted: 6,
      onboardingIdentified: 2,
      onboardingCompleted: 4,
      openClockTickets: 1,
    });
    const short = tallyOf(SHORT_PLAN);
    expect(short).toMatchObject({ conversations: 4, switches: 3, resolved: 4, reopened: 1 });
    expect(short.flows).toEqual([
      { start: 'whatsapp', end: 'sms', count: 2 },
      { start: 'sms', end: 'sms', count: 1 },
      { start: 'whatsapp', end: 'whatsapp', count: 1 },
    ]);
    expect(tallyLines(short).join('\n')).toMatch(/FCR 75%/);
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
