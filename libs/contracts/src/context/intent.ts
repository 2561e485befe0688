import { z } from 'zod';

/**
 * What a customer message is about. The three critical journeys (fraud, onboarding, disputes) and
 * the common requests; `other` when nothing matched.
 */
export const INTENTS = [
  'fraud',
  'card_blocked',
  'transfer_stuck',
  'dispute',
  'onboarding',
  'human',
  'other',
] as const;
export const IntentSchema = z.enum(INTENTS);
export type Intent = z.infer<typeof IntentSchema>;

export const LanguageSchema = z.enum(['it', 'en']);
export type Language = z.infer<typeof LanguageSchema>;

export const IntentResultSchema = z.object({
  intent: IntentSchema,
  /** 0..1: how sure the classifier is. */
  confidence: z.number().min(0).max(1),
  language: LanguageSchema,
});
export type IntentResult = z.infer<typeof IntentResultSchema>;

/** Skill queues agents belong to; each intent routes to one. */
export const SKILLS = ['fraud', 'onboarding', 'disputes', 'general'] as const;
export const SkillSchema = z.enum(SKILLS);
export type Skill = z.infer<typeof SkillSchema>;

/** Priority 1 is the top (fraud linked to an alert), 4 the lowest. */
export const PrioritySchema = z.number().int().min(1).max(4);

/** Who answers the conversation now: exactly one of bot or agent. */
export const CONTROL_STATES = ['bot_active', 'pending', 'agent_active', 'released'] as const;
export const ControlStateSchema = z.enum(CONTROL_STATES);
export type ControlState = z.infer<typeof ControlStateSchema>;
