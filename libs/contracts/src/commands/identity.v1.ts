import { z } from 'zod';
import { AssuranceLevelSchema } from '../assurance';
import { StepUpActionSchema } from '../step-up';

/**
 * Identity linking, unlinking and step-up between the router and its callers (the in-app
 * gateway for the app's requests, the console for an agent's unlink). The app user is always the
 * one the gateway verified from the JWT, never a field the app typed.
 */

/** In-app gateway → router: a one-time link code for the logged-in app user. */
export const IssueLinkCodeRequestV1Schema = z.object({
  appUserId: z.string().min(1).max(128),
});
export type IssueLinkCodeRequestV1 = z.infer<typeof IssueLinkCodeRequestV1Schema>;

export const IssueLinkCodeResponseV1Schema = z.object({
  /** 8 characters of an unambiguous alphabet, to send as "LINK <code>" from the channel to link. */
  code: z.string().regex(/^[A-Z2-9]{8}$/),
  expiresAt: z.iso.datetime({ offset: true }),
  /** Deep links that prefill the message; absent when our address on that channel is not configured. */
  deepLinks: z.object({
    telegram: z.url().optional(),
    whatsapp: z.url().optional(),
  }),
});
export type IssueLinkCodeResponseV1 = z.infer<typeof IssueLinkCodeResponseV1Schema>;

/** Console → router: an agent or supervisor revokes a channel link of a customer. */
export const UnlinkIdentityRequestV1Schema = z.object({
  customerId: z.uuid(),
  identityId: z.uuid(),
  actorId: z.string().min(1).max(128),
  reason: z.string().trim().min(1).max(500),
});
export type UnlinkIdentityRequestV1 = z.infer<typeof UnlinkIdentityRequestV1Schema>;

export const UnlinkIdentityResponseV1Schema = z.object({
  identityId: z.uuid(),
  /** False when it was already revoked (nothing changed). */
  revoked: z.boolean(),
});
export type UnlinkIdentityResponseV1 = z.infer<typeof UnlinkIdentityResponseV1Schema>;

/**
 * In-app gateway → router: the customer's answer to a step-up request. `assurance` and
 * `authenticatedAt` come from the verified JWT's claims (amr/acr, auth_time); `nonce` is the one
 * the request's push carried (an approval without it, or with another, is refused).
 */
export const DecideStepUpRequestV1Schema = z.object({
  approvalId: z.uuid(),
  appUserId: z.string().min(1).max(128),
  approve: z.boolean(),
  assurance: AssuranceLevelSchema,
  authenticatedAt: z.iso.datetime({ offset: true }).optional(),
  nonce: z.string().max(128).optional(),
});
export type DecideStepUpRequestV1 = z.infer<typeof DecideStepUpRequestV1Schema>;

export const DecideStepUpResponseV1Schema = z.object({
  approvalId: z.uuid(),
  status: z.enum(['approved', 'rejected']),
  /**
   * The customer's assurance level now, unchanged by the answer: an approval authorises its one
   * action, it raises no level.
   */
  level: AssuranceLevelSchema,
  /** Until when the approved action may be carried out (once); null for a refusal. */
  expiresAt: z.iso.datetime({ offset: true }).nullable(),
  /** What the approval authorises (absent for a refusal and for a step-up bound to no action). */
  authorises: StepUpActionSchema.optional(),
});
export type DecideStepUpResponseV1 = z.infer<typeof DecideStepUpResponseV1Schema>;
