import type {
  CLOCK_RULES,
  DisputeType,
  Jurisdiction,
  TicketClockView,
  TicketKind,
} from '@omnigate/contracts';
import {
  JURISDICTION_TIME_ZONES,
  addBusinessDays,
  addCalendarDays,
  businessDaysBetween,
  endOfLocalDay,
  localDateOf,
} from './business-calendar.rule';

export type ClockRuleName = (typeof CLOCK_RULES)[number];

/** A period counted from the day the bank received the complaint or notice. */
export interface Span {
  days: number;
  unit: 'business' | 'calendar';
}

/**
 * A deadline and, where the law allows one, the longer deadline that a holding reply sent in time
 * buys (PSD2 art. 101: a holding reply; Reg E: a provisional credit; Reg Z: a written
 * acknowledgement; CFPB: an "in progress" answer).
 */
export interface ClockRule {
  rule: ClockRuleName;
  initial: Span;
  extended: Span | null;
}

const bd = (days: number): Span => ({ days, unit: 'business' });
const cd = (days: number): Span => ({ days, unit: 'calendar' });

const PSD2_COMPLAINT: ClockRule = {
  rule: 'psd2_art101_complaint',
  initial: bd(15),
  extended: bd(35),
};

/**
 * The clock a ticket runs, or null (kind `other`). Sources: PSD2 (Directive 2015/2366) art. 101(2)
 * and art. 73(1); 12 CFR 1005.11(c) (Reg E); 12 CFR 1026.13(c) (Reg Z); the CFPB company portal's
 * 15 / 60 days. See the README's "Regulatory clocks" for the simplifications.
 */
export function clockRuleFor(
  kind: TicketKind,
  jurisdiction: Jurisdiction,
  disputeType: DisputeType | null,
): ClockRule | null {
  if (kind === 'other') return null;
  if (jurisdiction !== 'US') {
    if (kind === 'card_dispute' && disputeType === 'unauthorised') {
      // Refund by the end of the following business day; no holding reply extends it.
      return { rule: 'psd2_art73_unauthorised', initial: bd(1), extended: null };
    }
    return PSD2_COMPLAINT;
  }
  if (kind === 'complaint') return { rule: 'cfpb_complaint', initial: cd(15), extended: cd(60) };
  switch (disputeType ?? 'transfer') {
    case 'credit_card':
      // Acknowledge in 30 days; resolve within two billing cycles, at most 90 days.
      return { rule: 'reg_z_billing_error', initial: cd(30), extended: cd(90) };
    case 'new_account':
      return { rule: 'reg_e_error', initial: bd(20), extended: cd(90) };
    case 'pos_debit':
    case 'foreign':
      return { rule: 'reg_e_error', initial: bd(10), extended: cd(90) };
    case 'unauthorised':
    case 'atm':
    case 'transfer':
      return { rule: 'reg_e_error', initial: bd(10), extended: cd(45) };
  }
}

/** The end (local 23:59:59.999) of the span's last day, counted from the receipt's local date. */
export function deadlineOf(span: Span, jurisdiction: Jurisdiction, receivedAt: Date): Date {
  const zone = JURISDICTION_TIME_ZONES[jurisdiction];
  const received = localDateOf(receivedAt, zone);
  const last =
    span.unit === 'business'
      ? addBusinessDays(jurisdiction, received, span.days)
      : addCalendarDays(received, span.days);
  return endOfLocalDay(last, zone);
}

export interface ClockInput {
  rule: ClockRule;
  jurisdiction: Jurisdiction;
  openedAt: Date;
  holdingReplyAt: Date | null;
  /** When the bank answered: the clock stops there. */
  resolvedAt: Date | null;
}

/** A holding reply extends the deadline only when sent before the first one passed. */
export function dueOf(input: ClockInput): { dueAt: Date; initialDueAt: Date; extended: boolean } {
  const initialDueAt = deadlineOf(input.rule.initial, input.jurisdiction, input.openedAt);
  const { extended } = input.rule;
  if (extended && input.holdingReplyAt && input.holdingReplyAt <= initialDueAt) {
    return {
      dueAt: deadlineOf(extended, input.jurisdiction, input.openedAt),
      initialDueAt,
      extended: true,
    };
  }
  return { dueAt: initialDueAt, initialDueAt, extended: false };
}

/**
 * The clock at `now`: breached past the deadline (answered late or not at all), met when answered
 * in time, at risk with `warnBusinessDays` business days left or fewer, else on track.
 */
export function clockView(input: ClockInput, now: Date, warnBusinessDays: number): TicketClockView {
  const { dueAt, initialDueAt, extended } = dueOf(input);
  const zone = JURISDICTION_TIME_ZONES[input.jurisdiction];
  const stoppedAt = input.resolvedAt;
  const at = stoppedAt ?? now;
  const businessDaysLeft = businessDaysBetween(
    input.jurisdiction,
    localDateOf(at, zone),
    localDateOf(dueAt, zone),
  );
  const state =
    at > dueAt
      ? 'breached'
      : stoppedAt
        ? 'met'
        : businessDaysLeft <= warnBusinessDays
          ? 'at_risk'
          : 'on_track';
  const canExtend = input.rule.extended && !extended && !stoppedAt && at <= initialDueAt;
  return {
    rule: input.rule.rule,
    jurisdiction: input.jurisdiction,
    state,
    dueAt: dueAt.toISOString(),
    msLeft: dueAt.getTime() - at.getTime(),
    businessDaysLeft,
    extended,
    extendableTo:
      canExtend && input.rule.extended
        ? deadlineOf(input.rule.extended, input.jurisdiction, input.openedAt).toISOString()
        : null,
    holdingReplyAt: input.holdingReplyAt?.toISOString() ?? null,
    stoppedAt: stoppedAt?.toISOString() ?? null,
  };
}
