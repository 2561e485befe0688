import { z } from 'zod';

/** How strongly the customer is authenticated right now: none < possession < app_session < strong. */
export const ASSURANCE_LEVELS = ['none', 'possession', 'app_session', 'strong'] as const;
export const AssuranceLevelSchema = z.enum(ASSURANCE_LEVELS);
export type AssuranceLevel = z.infer<typeof AssuranceLevelSchema>;

export function assuranceAtLeast(have: AssuranceLevel, need: AssuranceLevel): boolean {
  return ASSURANCE_LEVELS.indexOf(have) >= ASSURANCE_LEVELS.indexOf(need);
}

/** A level reached, when, and until when it counts (kept in the session, shown on every channel). */
export const AssuranceStateSchema = z.object({
  level: AssuranceLevelSchema,
  reachedAt: z.iso.datetime({ offset: true }),
  expiresAt: z.iso.datetime({ offset: true }),
  /** How it was reached: app_jwt, step_up, link_code, otp, bank_verified_phone, ... */
  source: z.string().max(64),
  /** The channel it was reached on. */
  channel: z.string().max(32).optional(),
});
export type AssuranceState = z.infer<typeof AssuranceStateSchema>;
