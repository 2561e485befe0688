import type { Scenario, TrafficChannel } from './journey-traffic.plan';

/** What the journey dashboard should show for a plan played on an empty system. */
export interface TrafficTally {
  conversations: number;
  customerMessages: number;
  agentReplies: number;
  fraudSignals: number;
  /** Start channel → end channel (the customer's first and last), most first. */
  flows: Array<{ start: TrafficChannel; end: TrafficChannel; count: number }>;
  switches: number;
  contextLoss: {
    total: number;
    bySwitch: Array<{ from: TrafficChannel; to: TrafficChannel; count: number }>;
    card: number;
    /** Repeated once an agent had taken over from the bot (their first reply is the hand-off). */
    afterHandoff: number;
  };
  /** Conversations an agent resolved at least once. */
  resolved: number;
  /** Of those, written to again after a resolution (within the 7 days: it is all one run). */
  reopened: number;
  firstContactResolved: number;
  fraudResolved: number;
  onboardingStarted: number;
  /** Onboarding journeys of a bank customer (the prospects stay unverified contacts). */
  onboardingIdentified: number;
  /** Onboarding journeys an agent resolved. */
  onboardingCompleted: number;
  /** Tickets opened and left open: each runs a regulatory clock. */
  openClockTickets: number;
}

type Counts = Map<string, number>;

function bump(m: Counts, key: string): void {
  m.set(key, (m.get(key) ?? 0) + 1);
}

function pairs(m: Counts): Array<{ a: TrafficChannel; b: TrafficChannel; count: number }> {
  return [...m]
    .map(([k, count]) => {
      const [a, b] = k.split('>') as [TrafficChannel, TrafficChannel];
      return { a, b, count };
    })
    .sort((x, y) => y.count - x.count || `${x.a}>${x.b}`.localeCompare(`${y.a}>${y.b}`));
}

/** One scenario is one conversation (each customer or address appears in one scenario). Pure. */
export function tallyOf(plan: readonly Scenario[]): TrafficTally {
  const flows: Counts = new Map();
  const losses: Counts = new Map();
  const t: TrafficTally = {
    conversations: plan.length,
    customerMessages: 0,
    agentReplies: 0,
    fraudSignals: 0,
    flows: [],
    switches: 0,
    contextLoss: { total: 0, bySwitch: [], card: 0, afterHandoff: 0 },
    resolved: 0,
    reopened: 0,
    firstContactResolved: 0,
    fraudResolved: 0,
    onboardingStarted: 0,
    onboardingIdentified: 0,
    onboardingCompleted: 0,
    openClockTickets: 0,
  };
  for (const s of plan) {
    let first: TrafficChannel | null = null;
    let last: TrafficChannel | null = null;
    let resolvedOnce = false;
    let reopened = false;
    let agentAnswered = false;
    for (const step of s.steps) {
      switch (step.do) {
        case 'say':
          t.customerMessages++;
          if (resolvedOnce) reopened = true;
          if (last && last !== step.channel) t.switches++;
          if (step.repeats === 'card' && last) {
            t.contextLoss.total++;
            t.contextLoss.card++;
            if (agentAnswered) t.contextLoss.afterHandoff++;
            bump(losses, `${last}>${step.channel}`);
          }
          first ??= step.channel;
          last = step.channel;
          break;
        case 'agent_reply':
          t.agentReplies++;
          agentAnswered = true;
          break;
        case 'fraud_signal':
          t.fraudSignals++;
          break;
        case 'open_ticket':
          if (step.kind === 'complaint') t.openClockTickets++;
          break;
        case 'resolve':
          resolvedOnce = true;
          break;
      }
    }
    if (first && last) bump(flows, `${first}>${last}`);
    if (resolvedOnce) {
      t.resolved++;
      if (reopened) t.reopened++;
      else t.firstContactResolved++;
      if (s.journey === 'fraud') t.fraudResolved++;
    }
    if (s.journey === 'onboarding') {
      t.onboardingStarted++;
      if ('persona' in s.actor) t.onboardingIdentified++;
      if (resolvedOnce) t.onboardingCompleted++;
    }
  }
  t.flows = pairs(flows).map((p) => ({ start: p.a, end: p.b, count: p.count }));
  t.contextLoss.bySwitch = pairs(losses).map((p) => ({ from: p.a, to: p.b, count: p.count }));
  return t;
}

/** The tally as lines a person reads after `npm run traffic`. Pure. */
export function tallyLines(t: TrafficTally): string[] {
  const pct = (n: number, of: number) => (of > 0 ? `${Math.round((100 * n) / of)}%` : '—');
  return [
    `conversations started: ${t.conversations} (${t.customerMessages} customer messages, ${t.agentReplies} agent replies, ${t.fraudSignals} fraud signals)`,
    `flows (start → end): ${t.flows.map((f) => `${f.start}→${f.end} ${f.count}`).join(', ')}`,
    `channel switches: ${t.switches}`,
    `context lost (card number repeated after a switch): ${t.contextLoss.total}` +
      (t.contextLoss.bySwitch.length
        ? ` (${t.contextLoss.bySwitch.map((s) => `${s.from}→${s.to} ${s.count}`).join(', ')})`
        : '') +
      `, ${t.contextLoss.afterHandoff} of them after an agent took over`,
    `resolved by an agent: ${t.resolved}, reopened: ${t.reopened}, first-contact resolved: ${t.firstContactResolved} (FCR ${pct(t.firstContactResolved, t.resolved)})`,
    `fraud cases resolved: ${t.fraudResolved}`,
    `onboarding: ${t.onboardingStarted} started, ${t.onboardingIdentified} identified, ${t.onboardingCompleted} completed (conversion ${pct(t.onboardingCompleted, t.onboardingStarted)})`,
    `complaint tickets left open (regulatory clocks running): ${t.openClockTickets}`,
  ];
}
