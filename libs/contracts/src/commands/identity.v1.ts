import { z } from 'zod';
import { AssuranceLevelSchema } from '../assurance';

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
 * `authenticatedAt` come from the verified JWT's claims (amr/acr, auth_time).
 */
export const DecideStepUpRequestV1Schema = z.object({
  approvalId: z.uuid(),
  appUserId: z.string().min(1).max(128),
  approve: z.boolean(),
  assurance: AssuranceLevelSchema,
  authenticatedAt: z.iso.datetime({ offset: true }).optional(),
});
export type DecideStepUpRequestV1 = z.infer<typeof DecideStepUpRequestV1Schema>;

export const DecideStepUpResponseV1Schema = z.object({
  approvalId: z.uuid(),
  status: z.enum(['approved', 'rejected']),
  /** The assurance level now reached (strong after an approval). */
  level: AssuranceLevelSchema,
  expiresAt: z.iso.datetime({ offset: true }).nullable(),
});
export type DecideStepUpResponseV1 = z.infer<typeof DecideStepUpResponseV1Schema>;
