import { z } from 'zod';

/**
 * What travels on core NATS `typing.v1.<conversationId>` (Subjects.typing): ephemeral, never
 * stored or replayed. Customers' typing comes from the in-app gateway, agents' from the console.
 */
export const TypingSignalV1Schema = z.object({
  conversationId: z.uuid(),
  who: z.enum(['customer', 'agent']),
  state: z.enum(['start', 'stop']),
});
export type TypingSignalV1 = z.infer<typeof TypingSignalV1Schema>;
export type TypingState = TypingSignalV1['state'];
