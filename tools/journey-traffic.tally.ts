import { STAMPED_CHANNELS } from './journey-traffic.plan';
import type { Scenario, TrafficChannel } from './journey-traffic.plan';

const HOUR_MS = 3_600_000;

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
  /**
   * First-contact resolution by the UTC day the conversation started (its first customer message,
   * `hoursAgo` before the run), oldest first: the dashboard's FCR over time.
   */
  fcrDays: Array<{ day: string; resolved: number; firstContact: number }>;
  /**
   * Resolution times of the resolved conversations, from the first customer message to the last
   * resolution, as the plan sets them (ms, ascending); each is played a few seconds longer.
   */
  resolutionMs: number[];
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

/** The nearest-rank percentile, as the dashboard computes it (null for none). Pure. */
export function nearestRank(sorted: readonly number[], p: number): number | null {
  if (sorted.length === 0) return null;
  return sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

/** A plan the runner cannot play as the tally counts it: a send time the providers do not carry. */
function checkStamps(s: Scenario): void {
  let agentActed = false;
  for (const step of s.steps) {
    if (step.do === 'agent_reply' || step.do === 'resolve' || step.do === 'open_ticket') {
      agentActed = true;
    }
    if (step.do !== 'say' || step.hoursAgo === undefined) continue;
    if (!STAMPED_CHANNELS.has(step.channel) || agentActed || !(step.hoursAgo > 0)) {
      throw new Error(
        `traffic plan ${s.id}: hoursAgo is for WhatsApp and Telegram messages before any agent step`,
      );
    }
    if (step.hoursAgo >= 7 * 24) throw new Error(`traffic plan ${s.id}: hoursAgo beyond 7 days`);
  }
}

/**
 * One scenario is one conversation (each customer or address appears in one scenario); `now` is
 * when the run starts, which `hoursAgo` counts back from. Pure.
 */
export function tallyOf(plan: readonly Scenario[], now: Date = new Date()): TrafficTally {
  const flows: Counts = new Map();
  const losses: Counts = new Map();
  const days = new Map<string, { resolved: number; firstContact: number }>();
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
    fcrDays: [],
    resolutionMs: [],
  };
  for (const s of plan) {
    checkStamps(s);
    let startedHoursAgo = 0;
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
          if (!first) startedHoursAgo = step.hoursAgo ?? 0;
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
      const day = new Date(now.getTime() - startedHoursAgo * HOUR_MS).toISOString().slice(0, 10);
      const d = days.get(day) ?? { resolved: 0, firstContact: 0 };
      d.resolved++;
      if (!reopened) d.firstContact++;
      days.set(day, d);
      t.resolutionMs.push(startedHoursAgo * HOUR_MS);
    }
    if (s.journey === 'onboarding') {
      t.onboardingStarted++;
      if ('persona' in s.actor) t.onboardingIdentified++;
      if (resolvedOnce) t.onboardingCompleted++;
    }
  }
  t.fcrDays = [...days].sort(([a], [b]) => a.localeCompare(b)).map(([day, d]) => ({ day, ...d }));
  t.resolutionMs.sort((a, b) => a - b);
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
    `FCR by the day the customer first wrote (UTC): ${t.fcrDays.map((d) => `${d.day} ${d.firstContact}/${d.resolved}`).join(', ')}`,
    `resolution time (first message → resolution): p50 ${hoursText(nearestRank(t.resolutionMs, 50))}, p90 ${hoursText(nearestRank(t.resolutionMs, 90))}`,
  ];
}

/** '20 h', '3 d 2 h', 'seconds': the plan's times are whole hours. Pure. */
export function hoursText(ms: number | null): string {
  if (ms === null) return '—';
  const h = Math.floor(ms / HOUR_MS);
  if (h === 0) return 'seconds';
  if (h < 24) return `${h} h`;
  return h % 24 ? `${Math.floor(h / 24)} d ${h % 24} h` : `${Math.floor(h / 24)} d`;
}
