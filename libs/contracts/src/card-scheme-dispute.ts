import { z } from 'zod';

/**
 * Card schemes' own dispute (chargeback) time limits on a card_dispute ticket: the issuer's
 * deadline to raise the dispute with the scheme, in calendar days from the transaction's
 * processing date. A second clock beside the regulatory one. Wire names: add values, never
 * rename them. Sources and simplifications: README, "Regulatory clocks on tickets".
 */
export const CARD_SCHEMES = ['visa', 'mastercard'] as const;
export const CardSchemeSchema = z.enum(CARD_SCHEMES, {
  error: `must be one of ${CARD_SCHEMES.join(', ')}`,
});
export type CardScheme = z.infer<typeof CardSchemeSchema>;

/**
 * Visa Claims Resolution dispute conditions: 10 fraud, 11 authorisation, 12 processing errors,
 * 13 consumer disputes. 10.5 (Visa Fraud Monitoring Program) is left out: Visa, not the
 * cardholder, starts it, from a date of its own.
 */
export const VISA_DISPUTE_CONDITIONS = [
  '10.1',
  '10.2',
  '10.3',
  '10.4',
  '11.1',
  '11.2',
  '11.3',
  '12.1',
  '12.2',
  '12.3',
  '12.4',
  '12.5',
  '12.6',
  '12.7',
  '13.1',
  '13.2',
  '13.3',
  '13.4',
  '13.5',
  '13.6',
  '13.7',
  '13.8',
  '13.9',
] as const;

/**
 * Mastercard message reason codes an issuer raises for a cardholder: 4808 authorisation-related,
 * 4834 point-of-interaction error (which took in 4831, 4842, 4846), 4837 no cardholder
 * authorisation, 4853 cardholder dispute (which took in 4841, 4855, 4859, 4860), 4870 and 4871
 * chip liability shift.
 */
export const MASTERCARD_REASON_CODES = ['4808', '4834', '4837', '4853', '4870', '4871'] as const;

export const SCHEME_REASONS: Record<CardScheme, readonly string[]> = {
  visa: VISA_DISPUTE_CONDITIONS,
  mastercard: MASTERCARD_REASON_CODES,
};

/**
 * Reasons whose limit may also run from the date the goods or services were received or expected
 * (Visa 13.1, 13.3, 13.7; Mastercard 4853) or from the date on the credit receipt (Visa 13.6),
 * never past 540 days from the processing date.
 */
export const LATER_START_REASONS: Record<CardScheme, readonly string[]> = {
  visa: ['13.1', '13.3', '13.6', '13.7'],
  mastercard: ['4853'],
};

export const SCHEME_CLOCK_RULES = [
  'visa_dispute_time_limit',
  'mastercard_chargeback_time_limit',
] as const;

export const IsoDateSchema = z.iso.date({ error: 'must be a date YYYY-MM-DD' });

/** The scheme fields of a card_dispute ticket as they come in (all three or none). */
export interface SchemeDisputeFields {
  cardScheme?: CardScheme;
  schemeReason?: string;
  transactionProcessedOn?: string;
  deliveryOn?: string;
}

/**
 * What is wrong with a card dispute's scheme fields that no clock can decide: a reason that is not
 * the scheme's, a missing part, a delivery date on a reason that has none. `[path, message]`
 * pairs; empty when fine. The dates' place in time (not in the future) is the router's to check,
 * in the jurisdiction's time zone.
 */
export function schemeDisputeIssues(
  kind: string | undefined,
  f: SchemeDisputeFields,
): Array<[keyof SchemeDisputeFields, string]> {
  const given = [f.cardScheme, f.schemeReason, f.transactionProcessedOn].filter(
    (v) => v !== undefined,
  ).length;
  if (given === 0) {
    return f.deliveryOn === undefined
      ? []
      : [['deliveryOn', 'a delivery date needs the card scheme, reason and processing date']];
  }
  if (kind !== 'card_dispute') {
    return [['cardScheme', 'only a card dispute has a card scheme']];
  }
  if (given < 3) {
    return [
      [
        f.cardScheme === undefined ? 'cardScheme' : 'transactionProcessedOn',
        'a scheme dispute needs cardScheme, schemeReason and transactionProcessedOn together',
      ],
    ];
  }
  const scheme = f.cardScheme!;
  const reason = f.schemeReason!;
  if (!SCHEME_REASONS[scheme].includes(reason)) {
    return [
      [
        'schemeReason',
        `${reason} is not a ${scheme} dispute reason (one of ${SCHEME_REASONS[scheme].join(', ')})`,
      ],
    ];
  }
  if (f.deliveryOn !== undefined && !LATER_START_REASONS[scheme].includes(reason)) {
    return [['deliveryOn', `${scheme} ${reason} counts from the processing date only`]];
  }
  return [];
}
