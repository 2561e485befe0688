import type { ConversationSummary } from '@omnigate/contracts';
import { ConsoleAgentClient, SandboxClient, TrafficHttpError } from './journey-traffic.client';
import type { ConversationTimeline, SimulatorTarget } from './journey-traffic.client';
import type { Actor, Scenario, Step, TrafficChannel } from './journey-traffic.plan';
import { tallyOf } from './journey-traffic.tally';
import type { TrafficTally } from './journey-traffic.tally';

export interface TrafficOptions {
  consoleUrl: string;
  sandboxUrl: string;
  coreBankingApiKey: string;
  /** The agent who answers (an agent of every queue: alice in development). */
  agent: { id: string; password: string; totp?: string };
  log?: (line: string) => void;
  /** How long one wait (a message stored, a signal delivered) may take. */
  waitMs?: number;
  /** What `hoursAgo` counts back from (default: when the run starts). */
  now?: Date;
}

export interface TrafficResult {
  tally: TrafficTally;
  /** Scenario id → the conversation it played in. */
  conversations: Record<string, string>;
  /** What did not go as the plan expects (e.g. a fraud alert not linked); empty when all did. */
  warnings: string[];
  ms: number;
}

const POLL_MS = 200;
/** How long the bot may take to answer before we go on without its answer. */
const BOT_SETTLE_MS = 8_000;

async function waitFor<T>(
  what: string,
  probe: () => Promise<T | null | undefined | false>,
  timeoutMs: number,
): Promise<T | null> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v) return v;
    if (Date.now() > deadline) return null;
    await new Promise((r) => setTimeout(r, POLL_MS));
  }
}

function must<T>(v: T | null, what: string): T {
  if (v === null) throw new Error(`traffic: gave up waiting for ${what}`);
  return v;
}

function targetOf(actor: Actor, channel: TrafficChannel): SimulatorTarget {
  if ('persona' in actor) return { persona: actor.persona };
  const address = actor.addresses[channel];
  if (!address) throw new Error(`traffic: ${actor.name} has no ${channel} address in the plan`);
  return { address };
}

const lastMessageAtById = (list: readonly ConversationSummary[]) =>
  new Map(list.map((c) => [c.id, c.lastMessageAt]));

const inboundCount = (t: ConversationTimeline) =>
  t.messages.filter((m) => m.direction === 'inbound').length;

/**
 * Plays a plan through the real paths, one scenario after another (so a new conversation is the
 * one the scenario's first message made), and returns what the dashboard should show.
 */
export async function playTraffic(
  plan: readonly Scenario[],
  opts: TrafficOptions,
): Promise<TrafficResult> {
  const started = Date.now();
  const now = opts.now ?? new Date(started);
  // First: a plan that cannot be played as counted (a send time on SMS...) fails before any step.
  const tally = tallyOf(plan, now);
  const log = opts.log ?? (() => undefined);
  const waitMs = opts.waitMs ?? 20_000;
  const agent = await ConsoleAgentClient.login(
    opts.consoleUrl,
    opts.agent.id,
    opts.agent.password,
    opts.agent.totp,
  );
  const sandbox = new SandboxClient(opts.sandboxUrl, opts.coreBankingApiKey);
  const conversations: Record<string, string> = {};
  const warnings: string[] = [];

  for (const scenario of plan) {
    log(`· ${scenario.id} (${scenario.journey}, ${scenario.actor.name})`);
    const player = new ScenarioPlayer(scenario, agent, sandbox, waitMs, warnings, now);
    for (const step of scenario.steps) await player.play(step);
    if (player.conversationId) conversations[scenario.id] = player.conversationId;
  }
  return { tally, conversations, warnings, ms: Date.now() - started };
}

/** One scenario's state while it plays: its conversation, the tickets it keeps open. */
class ScenarioPlayer {
  conversationId: string | null = null;
  private readonly kept = new Set<string>();
  private fraudSignalled = false;

  constructor(
    private readonly s: Scenario,
    private readonly agent: ConsoleAgentClient,
    private readonly sandbox: SandboxClient,
    private readonly waitMs: number,
    private readonly warnings: string[],
    private readonly now: Date,
  ) {}

  async play(step: Step): Promise<void> {
    switch (step.do) {
      case 'fraud_signal':
        return this.fraudSignal(step);
      case 'say':
        return this.say(step.channel, step.text, step.hoursAgo);
      case 'agent_reply':
        await this.agent.reply(this.id(), step.text);
        return;
      case 'open_ticket': {
        const r = await this.agent.openTicket(this.id(), step.subject, step.kind);
        this.kept.add(r.ticket.id);
        return;
      }
      case 'resolve':
        return this.resolve(step.resolution);
    }
  }

  private id(): string {
    if (!this.conversationId) {
      throw new Error(`traffic: ${this.s.id} acts before its first message`);
    }
    return this.conversationId;
  }

  private async fraudSignal(step: Extract<Step, { do: 'fraud_signal' }>): Promise<void> {
    const { event } = await this.sandbox.fraudBlock(step);
    must(
      await waitFor('signal', () => this.sandbox.delivered(event.id), this.waitMs),
      'core banking’s fraud signal to reach the router',
    );
    this.fraudSignalled = true;
  }

  private async say(channel: TrafficChannel, text: string, hoursAgo?: number): Promise<void> {
    const before = this.conversationId ? await this.agent.timeline(this.conversationId) : null;
    const known = before ? null : lastMessageAtById(await this.agent.conversations());
    const stamp =
      hoursAgo === undefined ? undefined : new Date(this.now.getTime() - hoursAgo * 3_600_000);
    await this.sandbox.send(channel, targetOf(this.s.actor, channel), text, stamp);
    if (!this.conversationId) {
      const c = must(
        await waitFor('conversation', () => this.findNew(known!, channel), this.waitMs),
        `${this.s.actor.name}’s conversation`,
      );
      this.conversationId = c.id;
    }
    const id = this.conversationId;
    const seen = before ? inboundCount(before) : 0;
    const stored = must(
      await waitFor(
        'stored',
        async () => {
          const t = await this.agent.timeline(id);
          return inboundCount(t) > seen ? t : null;
        },
        this.waitMs,
      ),
      `${this.s.actor.name}’s ${channel} message in the console`,
    );
    await this.settle(id, stored);
    if (this.fraudSignalled) await this.checkAlertLinked(id);
  }

  /**
   * The conversation the scenario's first message went to: a new one, or (a seeded customer on a
   * system that already had traffic) their open one, which now holds an inbound message on that
   * channel newer than anything it held before the send. Scenarios play one after the other, so no
   * other customer writes meanwhile; but the previous scenario's last outbound message (a
   * resolution notice) may still be landing, so a known conversation's new activity alone proves
   * nothing (under load it made a scenario wait on the previous customer's conversation).
   */
  private async findNew(known: Map<string, string>, channel: TrafficChannel) {
    const list = await this.agent.conversations();
    const customer = 'persona' in this.s.actor;
    const candidates = list.filter(
      (c) => c.customer.verified === customer && c.lastChannel === channel,
    );
    const fresh = candidates.find((c) => !known.has(c.id));
    if (fresh || !customer) return fresh ?? null;
    for (const c of candidates) {
      const before = known.get(c.id)!;
      if (c.lastMessageAt === before) continue;
      const t = await this.agent.timeline(c.id);
      const newInbound = t.messages.some(
        (m) =>
          m.direction === 'inbound' &&
          m.channel === channel &&
          Date.parse(m.createdAt) > Date.parse(before),
      );
      if (newInbound) return c;
    }
    return null;
  }

  /** The bot answers (or hands off) before the next step, unless an agent holds the conversation. */
  private async settle(id: string, stored: ConversationTimeline): Promise<void> {
    const lastIn = Math.max(
      ...stored.messages.filter((m) => m.direction === 'inbound').map((m) => m.seq),
    );
    await waitFor(
      'bot',
      async () => {
        const t = await this.agent.timeline(id);
        return (
          t.conversation.control === 'agent_active' ||
          t.messages.some((m) => m.direction === 'outbound' && m.seq > lastIn)
        );
      },
      BOT_SETTLE_MS,
    );
  }

  private async checkAlertLinked(id: string): Promise<void> {
    const ctx = await this.agent.context(id);
    if (!(ctx.fraudAlerts ?? []).some((a) => a.linked)) {
      this.warnings.push(`${this.s.id}: the fraud alert was not linked to the conversation`);
    }
    this.fraudSignalled = false;
  }

  /** Resolves every ticket the scenario does not keep open, then hands the conversation back. */
  private async resolve(resolution: string): Promise<void> {
    const id = this.id();
    const ctx = await this.agent.context(id);
    for (const t of ctx.openTickets.filter((x) => !this.kept.has(x.id))) {
      await this.agent.resolveTicket(t.id, id, resolution);
    }
    try {
      await this.agent.control(id, 'release');
    } catch (e) {
      // Another agent holds it (someone at the console): take it over, then release it.
      if (!(e instanceof TrafficHttpError) || e.status !== 409) throw e;
      await this.agent.control(id, 'take_over');
      await this.agent.control(id, 'release');
    }
  }
}
