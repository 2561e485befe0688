import { z } from 'zod';
import { SCHEME_CLOCK_RULES } from './card-scheme-dispute';

/**
 * Regulatory clocks on tickets (issue 15). A complaint or a card dispute runs a clock under the
 * rules of its jurisdiction; `other` runs none. Wire names: add values, never rename them.
 */
export const TICKET_KINDS = ['complaint', 'card_dispute', 'other'] as const;
export const TicketKindSchema = z.enum(TICKET_KINDS);
export type TicketKind = z.infer<typeof TicketKindSchema>;

/**
 * What decides a card dispute's deadline. In the US (Reg E / Reg Z) the kind of transfer does:
 * `pos_debit` and `foreign` get 90 days instead of 45, `new_account` (first deposit under 30 days
 * ago) 20 business days and 90 days, `credit_card` is a Reg Z billing error. In the EU an
 * `unauthorised` transaction is refunded by the end of the next business day (PSD2 art. 73);
 * every other type is answered like a complaint (PSD2 art. 101).
 */
export const DISPUTE_TYPES = [
  'unauthorised',
  'pos_debit',
  'atm',
  'transfer',
  'foreign',
  'new_account',
  'credit_card',
] as const;
export const DisputeTypeSchema = z.enum(DISPUTE_TYPES);
export type DisputeType = z.infer<typeof DisputeTypeSchema>;

/** ISO 3166 country codes whose rules, public holidays and time zone a clock can follow. */
export const JURISDICTIONS = ['IT', 'DE', 'FR', 'ES', 'US'] as const;
export const JurisdictionSchema = z.enum(JURISDICTIONS);
export type Jurisdiction = z.infer<typeof JurisdictionSchema>;

/** `met`: answered in time (stopped); `breached`: past the deadline, answered or not. */
export const CLOCK_STATES = ['on_track', 'at_risk', 'breached', 'met'] as const;
export const ClockStateSchema = z.enum(CLOCK_STATES);
export type ClockState = z.infer<typeof ClockStateSchema>;

export const CLOCK_RULES = [
  'psd2_art101_complaint',
  'psd2_art73_unauthorised',
  'reg_e_error',
  'reg_z_billing_error',
  'cfpb_complaint',
] as const;

/**
 * A ticket's clock as the console shows it, computed when asked: the regulatory clock, or a card
 * dispute's scheme clock (`visa_dispute_time_limit`, `mastercard_chargeback_time_limit`: calendar
 * days from the transaction's processing date; never extended, so `extended` is false and
 * `extendableTo` null; stopped when the dispute was raised with the scheme or the ticket resolved).
 */
export const TicketClockViewSchema = z.object({
  rule: z.enum([...CLOCK_RULES, ...SCHEME_CLOCK_RULES]),
  jurisdiction: JurisdictionSchema,
  state: ClockStateSchema,
  /** The deadline in force (the extended one after a holding reply sent in time). */
  dueAt: z.iso.datetime({ offset: true }),
  /** Milliseconds from now to the deadline; negative once past. Frozen when the clock stopped. */
  msLeft: z.number().int(),
  /** Business days of the jurisdiction after today up to the deadline's day (0 on its day). */
  businessDaysLeft: z.number().int(),
  /** Whether a holding reply (US: provisional credit / acknowledgement) extended the deadline. */
  extended: z.boolean(),
  /** The extended deadline a holding reply would give, while it still can; null otherwise. */
  extendableTo: z.iso.datetime({ offset: true }).nullable(),
  holdingReplyAt: z.iso.datetime({ offset: true }).nullable(),
  stoppedAt: z.iso.datetime({ offset: true }).nullable(),
});
export type TicketClockView = z.infer<typeof TicketClockViewSchema>;
