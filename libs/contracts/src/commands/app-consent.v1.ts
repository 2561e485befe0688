import { z } from 'zod';
import { ChannelSchema } from '../channel';
import { ConsentPurposeSchema, ConsentSourceSchema } from '../consent/consent-policy';

/**
 * The customer reads and sets their own consent from the bank's app (in-app gateway → router).
 * The app user is always the one the gateway verified from the JWT, never a field the app typed.
 */

const AppUserIdSchema = z.string().min(1).max(128);

/** In-app gateway → router: every channel × purpose for the logged-in app user. */
export const GetAppConsentsRequestV1Schema = z.object({
  appUserId: AppUserIdSchema,
});
export type GetAppConsentsRequestV1 = z.infer<typeof GetAppConsentsRequestV1Schema>;

/** In-app gateway → router: the customer's decision on one channel and purpose (source 'app'). */
export const SetAppConsentRequestV1Schema = z.object({
  appUserId: AppUserIdSchema,
  channel: ChannelSchema,
  purpose: ConsentPurposeSchema,
  granted: z.boolean(),
});
export type SetAppConsentRequestV1 = z.infer<typeof SetAppConsentRequestV1Schema>;

/**
 * Every channel × purpose: stored decisions (source keyword, app or agent) and the defaults
 * elsewhere (source 'default', updatedAt null), as the console shows them.
 */
export const AppConsentsResponseV1Schema = z.object({
  consents: z.array(
    z.object({
      channel: ChannelSchema,
      purpose: ConsentPurposeSchema,
      granted: z.boolean(),
      source: ConsentSourceSchema,
      updatedAt: z.iso.datetime({ offset: true }).nullable(),
    }),
  ),
});
export type AppConsentsResponseV1 = z.infer<typeof AppConsentsResponseV1Schema>;
