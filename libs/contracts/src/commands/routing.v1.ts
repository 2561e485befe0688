import { z } from 'zod';
import { ControlStateSchema, IntentSchema, PrioritySchema, SkillSchema } from '../context/intent';

const AgentIdSchema = z.string().min(1).max(128);

/**
 * Console → router: an agent changes who answers a conversation.
 * take_over: the agent answers from now on (agent_active, assigned to them);
 * hand_back: the bot answers again (bot_active, nobody assigned);
 * release: the agent is done and nobody answers until the customer writes again (released).
 */
export const CONTROL_ACTIONS = ['take_over', 'hand_back', 'release'] as const;
export const ControlActionSchema = z.enum(CONTROL_ACTIONS);
export type ControlAction = z.infer<typeof ControlActionSchema>;

export const SetControlRequestV1Schema = z.object({
  conversationId: z.uuid(),
  agentId: AgentIdSchema,
  action: ControlActionSchema,
});
export type SetControlRequestV1 = z.infer<typeof SetControlRequestV1Schema>;

/** The conversation's routing after the change. */
export const RoutingStateV1Schema = z.object({
  conversationId: z.uuid(),
  queue: SkillSchema,
  priority: PrioritySchema,
  control: ControlStateSchema,
  assignedAgent: z.string().nullable(),
  intent: IntentSchema.nullable(),
});
export type RoutingStateV1 = z.infer<typeof RoutingStateV1Schema>;
export const SetControlResponseV1Schema = RoutingStateV1Schema;
export type SetControlResponseV1 = RoutingStateV1;

/** Console → router: an agent goes available (with the queues they serve) or away. */
export const SetAgentPresenceRequestV1Schema = z.object({
  agentId: AgentIdSchema,
  available: z.boolean(),
  skills: z.array(SkillSchema).max(4),
  /** Conversations the agent takes at once; the stored value (default 5) when absent. */
  maxConcurrent: z.number().int().min(1).max(50).optional(),
});
export type SetAgentPresenceRequestV1 = z.infer<typeof SetAgentPresenceRequestV1Schema>;
export const SetAgentPresenceResponseV1Schema = z.object({
  agentId: AgentIdSchema,
  available: z.boolean(),
  skills: z.array(SkillSchema),
  maxConcurrent: z.number().int(),
  /** Conversations that waited in the agent's queues and were assigned to them now. */
  assigned: z.array(z.uuid()),
});
export type SetAgentPresenceResponseV1 = z.infer<typeof SetAgentPresenceResponseV1Schema>;

export const ListQueuesRequestV1Schema = z.object({});
export type ListQueuesRequestV1 = z.infer<typeof ListQueuesRequestV1Schema>;

/** Open conversations per queue and priority: waiting (pending) and being handled. */
export const QueueCountV1Schema = z.object({
  queue: SkillSchema,
  priority: PrioritySchema,
  /** Handed off and not assigned to an agent yet. */
  waiting: z.number().int().min(0),
  /** Open conversations in this queue and priority, whoever answers. */
  open: z.number().int().min(0),
  /** When the longest-waiting one last heard from the customer; null when none waits. */
  oldestWaitingSince: z.iso.datetime({ offset: true }).nullable(),
});
export type QueueCountV1 = z.infer<typeof QueueCountV1Schema>;
export const ListQueuesResponseV1Schema = z.object({ queues: z.array(QueueCountV1Schema) });
export type ListQueuesResponseV1 = z.infer<typeof ListQueuesResponseV1Schema>;
