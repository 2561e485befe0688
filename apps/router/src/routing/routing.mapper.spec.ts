import { correlatedAlerts, decideRouting, queueFor, routingChanged } from './routing.mapper';
import type { AlertRef, Routing, RoutingInput } from './routing.mapper';

const NOW = new Date('2026-11-23T10:40:00Z');
const WINDOW = 30 * 60_000;
const fresh: Routing = { queue: 'general', priority: 3, control: 'bot_active', intent: null };
const alert = (minutesAgo: number, id = 'a1'): AlertRef => ({
  id,
  kind: 'card_blocked_by_fraud',
  occurredAt: new Date(NOW.getTime() - minutesAgo * 60_000),
});
const input = (over: Partial<RoutingInput>): RoutingInput => ({
  current: fresh,
  intent: 'other',
  alerts: [],
  fraudBlockedCard: false,
  now: NOW,
  windowMs: WINDOW,
  ...over,
});

describe('decideRouting', () => {
  it('links a fraud message within the window of an open alert: fraud queue, priority 1', () => {
    const d = decideRouting(input({ intent: 'fraud', alerts: [alert(8)] }));
    expect(d.next).toEqual({ queue: 'fraud', priority: 1, control: 'bot_active', intent: 'fraud' });
    expect(d.linkAlerts).toEqual(['a1']);
    expect(d.reason).toBe('fraud_alert_linked');
  });

  it('links a card_blocked message too', () => {
    const d = decideRouting(input({ intent: 'card_blocked', alerts: [alert(2)] }));
    expect(d.next.queue).toBe('fraud');
    expect(d.next.priority).toBe(1);
  });

  it('does not link an alert older than the window: fraud queue at priority 2', () => {
    const d = decideRouting(input({ intent: 'fraud', alerts: [alert(31)] }));
    expect(d.linkAlerts).toEqual([]);
    expect(d.next).toMatchObject({ queue: 'fraud', priority: 2 });
  });

  it('does not link on an unrelated intent', () => {
    const d = decideRouting(input({ intent: 'onboarding', alerts: [alert(1)] }));
    expect(d.linkAlerts).toEqual([]);
    expect(d.next).toMatchObject({ queue: 'onboarding', priority: 3 });
  });

  it('keeps queue, priority and journey on a message that says nothing new', () => {
    const current: Routing = {
      queue: 'disputes',
      priority: 3,
      control: 'bot_active',
      intent: 'dispute',
    };
    const d = decideRouting(input({ current, intent: 'other' }));
    expect(d.next).toEqual(current);
    expect(routingChanged(current, d.next)).toBe(false);
  });

  it('never lowers the priority within an open conversation', () => {
    const current: Routing = { queue: 'fraud', priority: 1, control: 'pending', intent: 'fraud' };
    const d = decideRouting(input({ current, intent: 'fraud', alerts: [] }));
    expect(d.next.priority).toBe(1);
  });

  it('hands off on a human request while the bot answers, not when an agent does', () => {
    expect(decideRouting(input({ intent: 'human' })).handoff).toBe(true);
    const withAgent: Routing = { ...fresh, control: 'agent_active' };
    expect(decideRouting(input({ current: withAgent, intent: 'human' })).handoff).toBe(false);
  });

  it('gives a released conversation back to the bot when the customer writes again', () => {
    const released: Routing = { ...fresh, control: 'released' };
    const d = decideRouting(input({ current: released, intent: 'transfer_stuck' }));
    expect(d.next.control).toBe('bot_active');
    expect(d.reason).toBe('reopened');
  });
});

describe('queueFor', () => {
  it('routes each intent to its skill', () => {
    expect(queueFor('dispute', false)).toEqual({ queue: 'disputes', priority: 3 });
    expect(queueFor('onboarding', false)).toEqual({ queue: 'onboarding', priority: 3 });
    expect(queueFor('transfer_stuck', false)).toEqual({ queue: 'general', priority: 3 });
    expect(queueFor('human', false)).toBeNull();
    expect(queueFor('other', false)).toBeNull();
  });

  it('sends a card blocked by the fraud engine to the fraud queue, any other block to general', () => {
    expect(queueFor('card_blocked', true)).toEqual({ queue: 'fraud', priority: 2 });
    expect(queueFor('card_blocked', false)).toEqual({ queue: 'general', priority: 2 });
  });
});

describe('correlatedAlerts', () => {
  it('keeps alerts inside the window (and a minute of clock skew ahead)', () => {
    const ahead: AlertRef = { ...alert(0, 'ahead'), occurredAt: new Date(NOW.getTime() + 30_000) };
    const got = correlatedAlerts('fraud', [alert(29, 'in'), alert(31, 'out'), ahead], NOW, WINDOW);
    expect(got.map((a) => a.id)).toEqual(['in', 'ahead']);
  });
});
