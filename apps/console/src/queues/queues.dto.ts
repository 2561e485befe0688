import { z } from 'zod';
import { SetAgentPresenceRequestV1Schema, SetControlRequestV1Schema } from '@omnigate/contracts';

/** Limits come from the router contract so both edges agree. */
export const PresenceBodySchema = z.object({
  available: SetAgentPresenceRequestV1Schema.shape.available,
  /** The queues the agent serves: fraud, onboarding, disputes, general. */
  skills: SetAgentPresenceRequestV1Schema.shape.skills,
  maxConcurrent: SetAgentPresenceRequestV1Schema.shape.maxConcurrent,
});
export type PresenceBody = z.infer<typeof PresenceBodySchema>;

export const ControlBodySchema = z.object({
  /** take_over: you answer; hand_back: the bot answers again; release: you are done. */
  action: SetControlRequestV1Schema.shape.action,
});
export type ControlBody = z.infer<typeof ControlBodySchema>;
