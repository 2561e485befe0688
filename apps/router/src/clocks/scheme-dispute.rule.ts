import { LATER_START_REASONS, SCHEME_REASONS } from '@omnigate/contracts';
import type {
  CardScheme,
  Jurisdiction,
  SCHEME_CLOCK_RULES,
  TicketClockView,
} from '@omnigate/contracts';
import {
  JURISDICTION_TIME_ZONES,
  addCalendarDays,
  businessDaysBetween,
  endOfLocalDay,
  localDateOf,
} from './business-calendar.rule';

export type SchemeClockRuleName = (typeof SCHEME_CLOCK_RULES)[number];

/** A scheme's time limit for one dispute reason, in calendar days from the processing date. */
export interface SchemeLimit {
  rule: SchemeClockRuleName;
  days: number;
  /** The limit may run from a later delivery / credit receipt date instead, up to `capDays`. */
  laterStart: boolean;
  capDays: number;
}

/** Visa and Mastercard both cap a limit that runs from a later date at 540 days. */
const CAP_DAYS = 540;

// Visa Core Rules (Visa Claims Resolution): 75 days for the authorisation conditions 11.1–11.3 and
// 12.7 invalid data, 120 for the rest; Mastercard Chargeback Guide: 90 for 4808 and 4834 (since
// 2019), 120 for fraud and 4853. The rulebooks are members-only; public transcriptions used:
// https://chargeback.com/visa-chargeback-time-limits/ and https://support.forte.net/support/solutions/articles/11000073184
// (more, and what is not confirmed, in the README's "Regulatory clocks on tickets").
const VISA_75 = new Set(['11.1', '11.2', '11.3', '12.7']);
const MASTERCARD_90 = new Set(['4808', '4834']);

/** The limit of a scheme's dispute reason; null for a reason the scheme does not have. */
export function schemeLimitFor(scheme: CardScheme, reason: string): SchemeLimit | null {
  if (!SCHEME_REASONS[scheme].includes(reason)) return null;
  const laterStart = LATER_START_REASONS[scheme].includes(reason);
  if (scheme === 'visa') {
    const days = VISA_75.has(reason) ? 75 : 120;
    return { rule: 'visa_dispute_time_limit', days, laterStart, capDays: CAP_DAYS };
  }
  const days = MASTERCARD_90.has(reason) ? 90 : 120;
  return { rule: 'mastercard_chargeback_time_limit', days, laterStart, capDays: CAP_DAYS };
}

export interface SchemeDispute {
  limit: SchemeLimit;
  jurisdiction: Jurisdiction;
  /** The transaction's processing date (Visa) or Central Site Business Date (Mastercard). */
  processedOn: string;
  /** Goods or services received or expected, or the credit receipt's date; null: none. */
  deliveryOn: string | null;
}

/** The last calendar date to raise the dispute with the scheme ('YYYY-MM-DD'). */
export function schemeLastDay(d: SchemeDispute): string {
  const fromProcessing = addCalendarDays(d.processedOn, d.limit.days);
  if (!d.limit.laterStart || !d.deliveryOn || d.deliveryOn <= d.processedOn) return fromProcessing;
  const fromDelivery = addCalendarDays(d.deliveryOn, d.limit.days);
  const cap = addCalendarDays(d.processedOn, d.limit.capDays);
  return fromDelivery < cap ? fromDelivery : cap;
}

/**
 * The scheme deadline: the end of its last day in the jurisdiction's time zone (the bank's day;
 * the scheme's own processing cut-off may come earlier that day).
 */
export function schemeDueOf(d: SchemeDispute): Date {
  return endOfLocalDay(schemeLastDay(d), JURISDICTION_TIME_ZONES[d.jurisdiction]);
}

/**
 * Why a processing or delivery date cannot be taken, or null: a transaction is not processed in
 * the future (today in the jurisdiction's time zone is the latest).
 */
export function schemeDateProblem(
  processedOn: string,
  jurisdiction: Jurisdiction,
  now: Date,
): string | null {
  const today = localDateOf(now, JURISDICTION_TIME_ZONES[jurisdiction]);
  if (processedOn > today) {
    return `transactionProcessedOn ${processedOn} is in the future (today is ${today} in ${jurisdiction})`;
  }
  return null;
}

export interface SchemeClockInput extends SchemeDispute {
  raisedAt: Date | null;
  /** The ticket's resolution stops the clock too (e.g. the merchant refunded). */
  resolvedAt: Date | null;
}

/** Calendar days from one local date to a later one (0 on the same day). */
function calendarDaysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

/**
 * The scheme clock at `now`: stopped when the dispute was raised with the scheme or the ticket
 * resolved; breached past the deadline, met when stopped in time, at risk with `warnDays`
 * calendar days left or fewer (the scheme counts calendar days). Never extended: no holding reply
 * moves a scheme's limit. `businessDaysLeft` is still the jurisdiction's, for the console.
 */
export function schemeClockView(
  input: SchemeClockInput,
  now: Date,
  warnDays: number,
): TicketClockView {
  const dueAt = schemeDueOf(input);
  const zone = JURISDICTION_TIME_ZONES[input.jurisdiction];
  const stoppedAt = input.raisedAt ?? input.resolvedAt;
  const at = stoppedAt ?? now;
  const today = localDateOf(at, zone);
  const lastDay = localDateOf(dueAt, zone);
  const businessDaysLeft = businessDaysBetween(input.jurisdiction, today, lastDay);
  const state =
    at > dueAt
      ? 'breached'
      : stoppedAt
        ? 'met'
        : calendarDaysBetween(today, lastDay) <= warnDays
          ? 'at_risk'
          : 'on_track';
  return {
    rule: input.limit.rule,
    jurisdiction: input.jurisdiction,
    state,
    dueAt: dueAt.toISOString(),
    msLeft: dueAt.getTime() - at.getTime(),
    businessDaysLeft,
    extended: false,
    extendableTo: null,
    holdingReplyAt: null,
    stoppedAt: stoppedAt?.toISOString() ?? null,
  };
}
