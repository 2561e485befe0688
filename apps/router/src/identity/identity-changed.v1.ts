import { z } from 'zod';

/**
 * What a router instance tells every router instance on core NATS `router.v1.identity.changed`
 * (Subjects.identityChanged) once a change of these customers' links is committed: forget what
 * you cached of them. Ids only, never an address or a name. Router to router: no other app reads it.
 */
export const IdentityChangedV1Schema = z.object({
  customerIds: z.array(z.uuid()).min(1).max(1000),
  /** Their data keys were destroyed (an erasure, a purge): forget the cached keys too. */
  keysDestroyed: z.boolean().optional(),
});
export type IdentityChangedV1 = z.infer<typeof IdentityChangedV1Schema>;
