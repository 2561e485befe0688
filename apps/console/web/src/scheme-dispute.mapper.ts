import { LATER_START_REASONS, SCHEME_REASONS } from '@omnigate/contracts';
import type { CardScheme } from '@omnigate/contracts';

/** What an agent picks from when a card dispute names its scheme. Pure. */
const REASON_NAMES: Record<string, string> = {
  '10.1': 'EMV liability shift, counterfeit fraud',
  '10.2': 'EMV liability shift, non-counterfeit fraud',
  '10.3': 'Other fraud, card present',
  '10.4': 'Other fraud, card absent',
  '11.1': 'Card recovery bulletin',
  '11.2': 'Declined authorisation',
  '11.3': 'No authorisation',
  '12.1': 'Late presentment',
  '12.2': 'Incorrect transaction code',
  '12.3': 'Incorrect currency',
  '12.4': 'Incorrect account number',
  '12.5': 'Incorrect amount',
  '12.6': 'Duplicate processing or paid by other means',
  '12.7': 'Invalid data',
  '13.1': 'Merchandise or services not received',
  '13.2': 'Cancelled recurring transaction',
  '13.3': 'Not as described or defective',
  '13.4': 'Counterfeit merchandise',
  '13.5': 'Misrepresentation',
  '13.6': 'Credit not processed',
  '13.7': 'Cancelled merchandise or services',
  '13.8': 'Original credit not accepted',
  '13.9': 'Cash or load value not received at ATM',
  '4808': 'Authorisation-related',
  '4834': 'Point-of-interaction error',
  '4837': 'No cardholder authorisation',
  '4853': 'Cardholder dispute',
  '4870': 'Chip liability shift',
  '4871': 'Chip/PIN liability shift',
};

export interface ReasonOption {
  value: string;
  label: string;
}

export function reasonOptions(scheme: CardScheme): ReasonOption[] {
  return SCHEME_REASONS[scheme].map((r) => ({
    value: r,
    label: `${r} ${REASON_NAMES[r] ?? ''}`.trim(),
  }));
}

/** Whether the reason's limit may run from a delivery or credit receipt date. */
export function takesDeliveryDate(scheme: CardScheme, reason: string): boolean {
  return LATER_START_REASONS[scheme].includes(reason);
}

/**
 * The processing date to fill from a transaction of the customer's context: its calendar date in
 * the agent's time zone. It is the authorisation's date; the scheme's processing date is that day
 * or a little later, so a deadline counted from it is never later than the scheme's.
 */
export function processedOnOf(transactionAt: string, timeZone?: string): string {
  return new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(new Date(transactionAt));
}

/** The open-ticket form's scheme fields; `scheme` '' means none named (no scheme clock). */
export interface SchemeFields {
  scheme: CardScheme | '';
  reason: string;
  processedOn: string;
  deliveryOn: string;
}

export const NO_SCHEME: SchemeFields = { scheme: '', reason: '', processedOn: '', deliveryOn: '' };

/** The request body's scheme part: nothing without a scheme; a delivery date only where it counts. */
export function schemeBody(f: SchemeFields): Record<string, string> {
  if (f.scheme === '') return {};
  const body: Record<string, string> = {
    cardScheme: f.scheme,
    schemeReason: f.reason,
    transactionProcessedOn: f.processedOn,
  };
  if (f.deliveryOn && takesDeliveryDate(f.scheme, f.reason)) body.deliveryOn = f.deliveryOn;
  return body;
}
