import { Inject, Injectable, Logger } from '@nestjs/common';
import type { OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import type {
  CardScheme,
  DisputeType,
  Jurisdiction,
  TicketClockView,
  TicketKind,
} from '@omnigate/contracts';
import { counter, gauge } from '@omnigate/kit';
import { TicketsRepository } from '@omnigate/store';
import type { TicketClockRow } from '@omnigate/store';
import { ROUTER_CONFIG } from '../config/router.config';
import type { RouterConfig } from '../config/router.config';
import { clockInputOf, ticketClockView, ticketSchemeClockView } from './ticket-clock.mapper';
import { clockRuleFor, deadlineOf, dueOf } from './regulatory-clock.rule';
import { schemeDateProblem, schemeDueOf, schemeLimitFor } from './scheme-dispute.rule';
import { SchemeDisputeInvalidError } from './clocks.errors';

// Scheme clocks count here too, under their own rule (visa_dispute_time_limit, ...).
const breaches = counter(
  'omnigate_ticket_clock_breaches_total',
  'Tickets whose regulatory or card-scheme deadline passed first, counted once per ticket and clock',
  ['rule', 'jurisdiction'],
);
// Every router instance sets the same values from the database: aggregate with max, not sum.
const atRisk = gauge(
  'omnigate_ticket_clocks_at_risk',
  'Open tickets whose regulatory clock is at risk (few business days left), by rule',
  ['rule', 'jurisdiction'],
);
const sweeps = counter('omnigate_ticket_clock_sweeps_total', 'Clock sweeps', ['outcome']);

/**
 * Regulatory clocks on tickets: the deadline at opening, the extension of a holding reply, the
 * clock as the console shows it, and a periodic sweep that marks breaches (once per ticket, on
 * any number of router instances) and counts the clocks at risk. The rules are pure functions in
 * regulatory-clock.rule.ts.
 */
@Injectable()
export class TicketClocksService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('ticket-clocks');
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<unknown> | null = null;
  private stopped = false;

  constructor(
    private readonly tickets: TicketsRepository,
    @Inject(ROUTER_CONFIG) private readonly config: RouterConfig,
  ) {}

  /** The first deadline of a new ticket; null when it runs no clock. */
  deadlineAtOpen(
    kind: TicketKind,
    jurisdiction: Jurisdiction,
    disputeType: DisputeType | null,
    openedAt: Date,
  ): Date | null {
    const rule = clockRuleFor(kind, jurisdiction, disputeType);
    return rule ? deadlineOf(rule.initial, jurisdiction, openedAt) : null;
  }

  /**
   * The scheme deadline of a new card dispute, or null when it names no scheme; a processing date
   * in the future is refused (SchemeDisputeInvalidError, 400).
   */
  schemeDeadlineAtOpen(
    jurisdiction: Jurisdiction,
    scheme: {
      cardScheme: CardScheme;
      reason: string;
      processedOn: string;
      deliveryOn: string | null;
    },
    openedAt: Date,
  ): Date {
    const limit = schemeLimitFor(scheme.cardScheme, scheme.reason);
    if (!limit) {
      throw new SchemeDisputeInvalidError(`${scheme.reason} is not a ${scheme.cardScheme} reason`);
    }
    const problem = schemeDateProblem(scheme.processedOn, jurisdiction, openedAt);
    if (problem) throw new SchemeDisputeInvalidError(problem);
    return schemeDueOf({ limit, jurisdiction, ...scheme });
  }

  /** The deadline in force if a holding reply is sent at `at` (unchanged when too late). */
  dueWithHoldingReply(t: TicketClockRow, at: Date): Date | null {
    const input = clockInputOf(t);
    return input ? dueOf({ ...input, holdingReplyAt: at }).dueAt : null;
  }

  view(t: TicketClockRow, now = new Date()): TicketClockView | null {
    return ticketClockView(t, now, this.config.CLOCK_WARNING_BUSINESS_DAYS);
  }

  /** A card dispute's scheme clock; null when it names no scheme. */
  schemeView(t: TicketClockRow, now = new Date()): TicketClockView | null {
    return ticketSchemeClockView(t, now, this.config.CLOCK_SCHEME_WARNING_DAYS);
  }

  /**
   * After a resolution, or the dispute raised with the scheme: a clock stopped late is a breach,
   * counted unless the sweep counted it.
   */
  async noteResolved(t: TicketClockRow): Promise<void> {
    const view = this.view(t);
    if (view?.state === 'breached') await this.markBreached(t.id, view, t.resolvedAt ?? new Date());
    const scheme = this.schemeView(t);
    if (scheme?.state === 'breached') {
      await this.markSchemeBreached(t.id, scheme, t.schemeRaisedAt ?? t.resolvedAt ?? new Date());
    }
  }

  /** One sweep: marks and counts new breaches, then sets the at-risk gauge. */
  async sweepOnce(now = new Date()): Promise<{ breached: number; atRisk: number }> {
    let breached = 0;
    const open = await this.tickets.listOpenClocks();
    const risky = new Map<string, { rule: string; jurisdiction: string; n: number }>();
    const countRisk = (view: TicketClockView) => {
      const key = `${view.rule}:${view.jurisdiction}`;
      const entry = risky.get(key) ?? { rule: view.rule, jurisdiction: view.jurisdiction, n: 0 };
      entry.n += 1;
      risky.set(key, entry);
    };
    for (const t of open) {
      const view = this.view(t, now);
      if (view?.state === 'breached' && !t.breachedAt) {
        if (await this.markBreached(t.id, view, now)) breached += 1;
      } else if (view?.state === 'at_risk') countRisk(view);
      const scheme = this.schemeView(t, now);
      if (scheme?.state === 'breached' && !t.schemeBreachedAt) {
        if (await this.markSchemeBreached(t.id, scheme, now)) breached += 1;
      } else if (scheme?.state === 'at_risk') countRisk(scheme);
    }
    atRisk.reset();
    let total = 0;
    for (const r of risky.values()) {
      atRisk.set({ rule: r.rule, jurisdiction: r.jurisdiction }, r.n);
      total += r.n;
    }
    return { breached, atRisk: total };
  }

  onApplicationBootstrap(): void {
    const every = this.config.CLOCK_SWEEP_INTERVAL_MS;
    if (every === 0) return;
    const schedule = () => {
      if (this.stopped) return;
      this.timer = setTimeout(() => {
        this.running = this.sweepOnce()
          .then(() => sweeps.inc({ outcome: 'ok' }))
          .catch((e: unknown) => {
            sweeps.inc({ outcome: 'failed' });
            this.logger.error({ msg: 'clock sweep failed' }, e instanceof Error ? e : undefined);
          })
          .finally(() => {
            this.running = null;
            schedule();
          });
      }, every);
      this.timer.unref();
    };
    schedule();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
  }

  private async markSchemeBreached(id: string, view: TicketClockView, at: Date): Promise<boolean> {
    const first = await this.tickets.markSchemeBreached(id, at);
    if (first) {
      breaches.inc({ rule: view.rule, jurisdiction: view.jurisdiction });
      this.logger.warn({ msg: 'card scheme time limit breached', ticketId: id, rule: view.rule });
    }
    return first;
  }

  private async markBreached(id: string, view: TicketClockView, at: Date): Promise<boolean> {
    const first = await this.tickets.markBreached(id, at);
    if (first) {
      breaches.inc({ rule: view.rule, jurisdiction: view.jurisdiction });
      this.logger.warn({ msg: 'ticket clock breached', ticketId: id, rule: view.rule });
    }
    return first;
  }
}
