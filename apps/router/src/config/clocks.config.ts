import { z } from 'zod';

const int = (min: number) => z.coerce.number().int().min(min);

/** Regulatory clocks on tickets (part of RouterEnv). */
export const ClocksEnv = {
  /** A clock with this many business days left or fewer is at risk (the console warns). */
  CLOCK_WARNING_BUSINESS_DAYS: int(0).max(30).default(2),
  /**
   * A card scheme's clock (time to raise the dispute with Visa or Mastercard) with this many
   * calendar days left or fewer is at risk: preparing a chargeback takes longer than an answer.
   */
  CLOCK_SCHEME_WARNING_DAYS: int(0).max(120).default(10),
  /** How often the router looks for breached clocks and counts those at risk; 0: never. */
  CLOCK_SWEEP_INTERVAL_MS: int(0).default(60_000),
};
